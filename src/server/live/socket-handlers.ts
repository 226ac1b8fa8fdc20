import type { Logger } from 'pino';
import type { Ack } from '../../protocol/envelope.ts';
import { subscribeRequestSchema, type SubscribedTick } from '../../protocol/live.ts';
import type { ScopeIndex } from '../sites/scope-index.ts';
import type { RecentHistory } from './recent-history.ts';
import { viewSpec } from './view-spec.ts';
import { ackRoomOf, roomOf, type LiveServer, type LiveViews } from './views.ts';

export interface SocketDeps {
  io: LiveServer;
  views: LiveViews;
  scopes: ScopeIndex;
  logger: Logger;
  version: string;
  tickMs: number;
  now: () => number;
  /** The last hour acks carry; without it they carry the tick alone. */
  recent?: RecentHistory;
}

/** Wires `subscribe`: validate, switch the socket's room, answer with the latest tick. */
export function attachSocketHandlers({
  io,
  views,
  scopes,
  logger,
  version,
  tickMs,
  now,
  recent,
}: SocketDeps): void {
  io.on('connection', (socket) => {
    socket.emit('hello', { version, tickMs, serverTime: now() });

    socket.on('subscribe', (raw: unknown, ack: unknown) => {
      if (typeof ack !== 'function') {
        logger.debug({ socket: socket.id }, 'subscribe without ack ignored');
        return;
      }
      const reply = ack as (result: Ack<SubscribedTick>) => void;
      const parsed = subscribeRequestSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const inFilter = issue.path[0] === 'filter';
        const where = issue.path.join('.') || 'request';
        reply({
          ok: false,
          error: {
            code: inFilter ? 'invalid_filter' : 'bad_request',
            message: `${where}: ${issue.message}`,
          },
        });
        return;
      }
      const scope = scopes.resolve(parsed.data.scope);
      if (!scope) {
        reply({
          ok: false,
          error: {
            code: 'unknown_scope',
            message: `no scope ${JSON.stringify(parsed.data.scope)}`,
          },
        });
        return;
      }
      const spec = viewSpec(scope, parsed.data.filter);
      const previous = socket.data.view;
      if (previous !== undefined) {
        void socket.leave(roomOf(previous));
        void socket.leave(ackRoomOf(previous));
      }
      void socket.join(roomOf(spec.key));
      if (parsed.data.ackTicks) void socket.join(ackRoomOf(spec.key));
      socket.data.view = spec.key;
      socket.data.ackTicks = parsed.data.ackTicks === true;
      const tick = views.watch(spec);
      if (!tick) {
        reply({
          ok: false,
          error: { code: 'not_ready', message: 'no tick has been computed yet' },
        });
        return;
      }
      socket.data.lastSentSeq = tick.seq;
      // History keeps filtered views by the hour only: their pages read what there is.
      if (!recent || spec.filter) {
        reply({ ok: true, data: tick });
        return;
      }
      try {
        reply({ ok: true, data: { ...tick, recent: recent.read(scope, tick.seq) } });
      } catch (err) {
        // The page reads history itself when the ack has none: the tick must not wait on it.
        logger.warn({ err, scope: scope.id }, 'recent history for a subscription not read');
        reply({ ok: true, data: tick });
      }
    });
  });
}
