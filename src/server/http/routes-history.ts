import type { FastifyInstance } from 'fastify';
import { historyQuerySchema, type HistoryResponse } from '../../protocol/api.ts';
import type { Clock } from '../core/clock.ts';
import type { HistoryService } from '../history/service.ts';
import { readHistory } from '../history/query.ts';
import { readPlaces } from '../history/places.ts';
import { placesQuerySchema, type PlacesResponse } from '../../protocol/places.ts';
import type { ScopeNode } from '../../protocol/scopes.ts';
import type { ScopeIndex } from '../sites/scope-index.ts';
import { ApiError, parseQuery } from './errors.ts';

const MAX_RANGE_MS = 20 * 365 * 86_400_000;

/** The view's scope, or a 404; a filter by both dimensions is a 400 (history keeps one). */
function resolveView(
  scopes: ScopeIndex,
  q: { scope: string; tech?: unknown; class?: unknown },
): ScopeNode {
  const scope = scopes.resolve(q.scope);
  if (!scope)
    throw new ApiError(404, 'unknown_scope', `scope: no scope ${JSON.stringify(q.scope)}`);
  if (q.tech && q.class) {
    throw new ApiError(
      400,
      'invalid_parameter',
      'class: history keeps one filter dimension at a time; give tech or class',
    );
  }
  return scope;
}

function checkRange(from: number, to: number): void {
  if (from >= to) throw new ApiError(400, 'invalid_parameter', 'from: must be before to');
  if (to - from > MAX_RANGE_MS)
    throw new ApiError(400, 'invalid_parameter', 'from: range longer than 20 years');
}

export function registerHistoryRoutes(
  app: FastifyInstance,
  deps: { clock: Clock; scopes: ScopeIndex; history: HistoryService },
): void {
  app.get('/api/v1/history', async (request): Promise<HistoryResponse> => {
    const q = parseQuery(historyQuerySchema, request.query);
    const scope = resolveView(deps.scopes, q);
    const to = q.to ?? deps.clock.now();
    const from = q.from ?? to - 3_600_000;
    checkRange(from, to);
    return readHistory(deps.history.reader(), scope, { ...q, from, to });
  });

  app.get('/api/v1/history/places', async (request): Promise<PlacesResponse> => {
    const q = parseQuery(placesQuerySchema, request.query);
    const scope = resolveView(deps.scopes, q);
    checkRange(q.from, q.to);
    return readPlaces(deps.history.reader(), scope, q);
  });
}
