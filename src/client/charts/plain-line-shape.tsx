import { Curve, type LineDrawShapeProps } from 'recharts';

/**
 * A Line's path without a ref to it. Recharts 3.11 measures each Line's path with
 * getTotalLength() on every render, for its entrance animation, even with isAnimationActive
 * false: on a live chart that is a forced layout of the page inside React's render and a walk
 * along a path of hundreds of points, for each line on each tick (12–22 % of the long renders
 * traced by `npm run bench -- client-overview`). With no ref there is nothing to measure; the
 * length it reads (0) is used only while animating.
 */
export function PlainLineShape(props: LineDrawShapeProps) {
  const {
    pathRef: _pathRef,
    animationElapsedTime: _elapsed,
    isAnimating: _animating,
    isEntrance: _entrance,
    visibleLength: _visible,
    ...curve
  } = props;
  return <Curve {...curve} />;
}
