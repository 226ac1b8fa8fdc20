import { DEVICE_CLASSES, TECHNOLOGIES } from '../../protocol/dimensions.ts';
import type { ViewFilter } from '../../protocol/live.ts';
import type { ScopeNode } from '../../protocol/scopes.ts';

const ALL_TECH = (1 << TECHNOLOGIES.length) - 1;
const ALL_CLASSES = (1 << DEVICE_CLASSES.length) - 1;

/** A view is a scope with an optional filter; everyone watching the same view shares a room. */
export interface ViewSpec {
  key: string;
  scope: ScopeNode;
  /** The canonical filter (null when it selects everything). */
  filter: ViewFilter | null;
  techMask: number;
  classMask: number;
}

export function viewSpec(scope: ScopeNode, filter: ViewFilter | undefined): ViewSpec {
  let techMask = ALL_TECH;
  let classMask = ALL_CLASSES;
  if (filter?.tech) techMask = filter.tech.reduce((m, t) => m | (1 << TECHNOLOGIES.indexOf(t)), 0);
  if (filter?.class)
    classMask = filter.class.reduce((m, c) => m | (1 << DEVICE_CLASSES.indexOf(c)), 0);
  const canonical: ViewFilter = {};
  if (techMask !== ALL_TECH) canonical.tech = TECHNOLOGIES.filter((_, i) => techMask & (1 << i));
  if (classMask !== ALL_CLASSES)
    canonical.class = DEVICE_CLASSES.filter((_, i) => classMask & (1 << i));
  return {
    key: `${scope.id}|t${techMask}|c${classMask}`,
    scope,
    filter: canonical.tech || canonical.class ? canonical : null,
    techMask,
    classMask,
  };
}
