import { formatCount, formatPercent, formatRate, type RateUnit } from '../format/numbers.ts';
import type { SiteProperties } from './site-features.ts';

/** A group of sites' figures: the sums of its sites' (flow null until its sites are known). */
export interface ClusterFigures {
  point_count: number;
  devices: number;
  online: number;
  flow: number | null;
}

export type Hover =
  | { kind: 'site'; x: number; y: number; props: SiteProperties }
  | { kind: 'cluster'; x: number; y: number; props: ClusterFigures }
  | { kind: 'country'; x: number; y: number; name: string; known: boolean };

/** What is under the pointer: a site's live figures, or the country a click would open. */
export function MapTooltip({ hover, units }: { hover: Hover; units: RateUnit }) {
  const style = { left: hover.x + 14, top: hover.y + 14 };
  if (hover.kind === 'country') {
    return (
      <div className="map-tooltip" style={style} role="tooltip">
        <strong>{hover.name}</strong>
        <span className="map-tooltip__hint">
          {hover.known ? 'click to open' : 'no sites in this country'}
        </span>
      </div>
    );
  }
  const p = hover.props;
  return (
    <div className="map-tooltip" style={style} role="tooltip">
      <strong>
        {hover.kind === 'cluster' ? `${hover.props.point_count} sites` : hover.props.name}
      </strong>
      {hover.kind === 'cluster' ? (
        <span className="map-tooltip__hint">click to zoom in</span>
      ) : null}
      <dl>
        <dt>Devices</dt>
        <dd>{formatCount(p.devices)}</dd>
        <dt>Online</dt>
        <dd>{formatPercent(p.online, p.devices)}</dd>
        <dt>Data flow</dt>
        <dd>{p.flow === null ? '…' : formatRate(p.flow, units)}</dd>
      </dl>
    </div>
  );
}
