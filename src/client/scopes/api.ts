import { queryOptions } from '@tanstack/react-query';
import type { ScopesResponse } from '../../protocol/scopes.ts';
import { fetchJson } from '../app/fetch-json.ts';

function isScopesResponse(body: unknown): body is ScopesResponse {
  if (typeof body !== 'object' || body === null || !('scopes' in body)) return false;
  const { scopes } = body;
  return (
    Array.isArray(scopes) &&
    scopes.every(
      (n: unknown) =>
        typeof n === 'object' &&
        n !== null &&
        'id' in n &&
        typeof n.id === 'string' &&
        'name' in n &&
        typeof n.name === 'string' &&
        'siteStart' in n &&
        typeof n.siteStart === 'number' &&
        'siteCount' in n &&
        typeof n.siteCount === 'number',
    )
  );
}

export const scopeKeys = {
  all: ['scopes'] as const,
};

/** GET /api/v1/scopes: the scope tree. It changes only with a server upgrade (which reloads). */
export function scopesQueryOptions() {
  return queryOptions({
    queryKey: scopeKeys.all,
    queryFn: ({ signal }) => fetchJson('/api/v1/scopes', isScopesResponse, signal),
    staleTime: 5 * 60_000,
  });
}
