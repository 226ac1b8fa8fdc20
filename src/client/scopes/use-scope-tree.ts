import { useQuery } from '@tanstack/react-query';
import { scopesQueryOptions } from './api.ts';
import { buildScopeTree } from './scope-tree.ts';

/** The scope tree, fetched once and indexed (the index is rebuilt only when the data changes). */
export function useScopeTree() {
  return useQuery({ ...scopesQueryOptions(), select: buildScopeTree });
}
