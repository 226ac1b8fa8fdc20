import type { ScopeKind, ScopeNode, ScopesResponse } from '../../protocol/scopes.ts';

export interface ScopeTree {
  byId: ReadonlyMap<string, ScopeNode>;
  /** Children of each scope, sorted by name so that a list does not jump around. */
  children: ReadonlyMap<string, readonly ScopeNode[]>;
}

const byName = (a: ScopeNode, b: ScopeNode): number => a.name.localeCompare(b.name, 'en');

export function buildScopeTree({ scopes }: ScopesResponse): ScopeTree {
  const byId = new Map<string, ScopeNode>();
  const children = new Map<string, ScopeNode[]>();
  for (const node of scopes) {
    byId.set(node.id, node);
    if (node.parent === null) continue;
    const siblings = children.get(node.parent);
    if (siblings) siblings.push(node);
    else children.set(node.parent, [node]);
  }
  for (const list of children.values()) list.sort(byName);
  return { byId, children };
}

/** The scope and its ancestors, outermost first: World → Europe → Germany → Berlin. */
export function ancestry(tree: ScopeTree, id: string): ScopeNode[] {
  const path: ScopeNode[] = [];
  let node = tree.byId.get(id);
  while (node && path.length < 8) {
    path.unshift(node);
    node = node.parent === null ? undefined : tree.byId.get(node.parent);
  }
  return path;
}

export const KIND_NAMES: Record<ScopeKind, string> = {
  global: 'Global',
  region: 'Region',
  country: 'Country',
  site: 'Site',
};

/** What the children of a scope of this kind are called, in the plural. */
export const CHILD_NOUNS: Record<ScopeKind, string> = {
  global: 'Regions',
  region: 'Countries',
  country: 'Sites',
  site: 'Devices',
};
