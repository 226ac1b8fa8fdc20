import type { FastifyInstance } from 'fastify';
import { eventsQuerySchema, type EventsResponse } from '../../protocol/api.ts';
import type { Clock } from '../core/clock.ts';
import type { Simulator } from '../simulator/simulator.ts';
import type { ScopeIndex } from '../sites/scope-index.ts';
import { ApiError, parseQuery } from './errors.ts';

const DAY = 86_400_000;
const MAX_RANGE = 400 * DAY;

export function registerEventRoutes(
  app: FastifyInstance,
  deps: { clock: Clock; scopes: ScopeIndex; simulator: Simulator | null },
): void {
  app.get('/api/v1/events', async (request): Promise<EventsResponse> => {
    const q = parseQuery(eventsQuerySchema, request.query);
    const scope = deps.scopes.resolve(q.scope);
    if (!scope)
      throw new ApiError(404, 'unknown_scope', `scope: no scope ${JSON.stringify(q.scope)}`);
    const now = deps.clock.now();
    const to = q.to ?? now;
    const from = q.from ?? to - DAY;
    if (from > to) throw new ApiError(400, 'invalid_parameter', 'from: must not be after to');
    if (to - from > MAX_RANGE)
      throw new ApiError(400, 'invalid_parameter', 'from: range longer than 400 days');
    const events = deps.simulator ? deps.simulator.events(scope, from, to, now) : [];
    return { scope: scope.id, from, to, events: events.slice(-q.limit) };
  });
}
