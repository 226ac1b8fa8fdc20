import type { FastifyInstance } from 'fastify';
import { DEVICE_CLASSES, STATUSES, TECHNOLOGIES } from '../../protocol/dimensions.ts';
import { Readable } from 'node:stream';
import {
  deviceQuerySchema,
  devicesExportQuerySchema,
  devicesQuerySchema,
  type DeviceResponse,
  type DevicesQuery,
  type DevicesResponse,
} from '../../protocol/devices.ts';
import type { Clock } from '../core/clock.ts';
import { deviceCsv, validTimeZone } from '../devices/device-csv.ts';
import type { DeviceDirectory } from '../devices/device-directory.ts';
import type { SnapshotCache } from '../devices/snapshot-cache.ts';
import type { DeviceStore } from '../storage/device-store.ts';
import type { ScopeIndex } from '../sites/scope-index.ts';
import { ApiError, parseQuery } from './errors.ts';

/** The parameters a snapshot is made of; a cursor's request may repeat them, not change them. */
const SNAPSHOT_PARAMS = ['scope', 'tech', 'class', 'status', 'q', 'sort', 'order'] as const;

/** Status changes a device answer lists at most (a timeline has no room for more). */
const MAX_TRANSITIONS = 2000;

interface Cursor {
  /** Snapshot key. */
  s: string;
  /** Position of the next row. */
  p: number;
  /** Source and index of the row before it, so a forged or mixed-up cursor is caught. */
  k: string;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(raw: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (
      typeof c.s === 'string' &&
      typeof c.k === 'string' &&
      typeof c.p === 'number' &&
      Number.isInteger(c.p) &&
      c.p > 0
    ) {
      return { s: c.s, p: c.p, k: c.k };
    }
  } catch {
    // falls through to the error below
  }
  throw new ApiError(400, 'invalid_cursor', 'cursor: not a cursor this server gave out');
}

function paramText(q: SnapshotQuery, name: (typeof SNAPSHOT_PARAMS)[number]): string {
  const v = q[name];
  return Array.isArray(v) ? [...v].sort().join(',') : String(v ?? '');
}

type SnapshotQuery = Pick<DevicesQuery, (typeof SNAPSHOT_PARAMS)[number]>;

function queryKey(q: SnapshotQuery): string {
  return SNAPSHOT_PARAMS.map((p) => `${p}=${paramText(q, p)}`).join('&');
}

const indexes = (values: readonly string[], chosen: readonly string[] | undefined) =>
  chosen ? new Set(chosen.map((v) => values.indexOf(v))) : null;

export function registerDeviceRoutes(
  app: FastifyInstance,
  deps: {
    clock: Clock;
    scopes: ScopeIndex;
    directory: DeviceDirectory;
    cache: SnapshotCache;
    store: DeviceStore;
    /** When this server began watching device statuses (its start). */
    watchedSince: number;
  },
): void {
  /** Takes and pins a new snapshot for the query. */
  const pin = (q: SnapshotQuery, now: number) => {
    const scope = deps.scopes.resolve(q.scope);
    if (!scope) {
      throw new ApiError(404, 'unknown_scope', `scope: no scope ${JSON.stringify(q.scope)}`);
    }
    const snapshot = deps.directory.snapshot(
      {
        scope,
        tech: indexes(TECHNOLOGIES, q.tech),
        cls: indexes(DEVICE_CLASSES, q.class),
        status: q.status ? new Set(q.status.map((s) => STATUSES.indexOf(s) + 1)) : null,
        q: q.q ?? null,
        sort: q.sort,
        order: q.order,
      },
      now,
    );
    return deps.cache.put(snapshot, queryKey(q), now);
  };

  app.get('/api/v1/devices.csv', async (request, reply) => {
    const q = parseQuery(devicesExportQuerySchema, request.query);
    if (!validTimeZone(q.tz)) {
      throw new ApiError(
        400,
        'invalid_parameter',
        `tz: ${JSON.stringify(q.tz)} is not an IANA time zone`,
      );
    }
    const now = deps.clock.now();
    let entry;
    if (q.snapshot !== undefined) {
      entry = deps.cache.get(q.snapshot, now);
      if (!entry) {
        throw new ApiError(
          410,
          'cursor_expired',
          'snapshot: that list has expired; export without it',
        );
      }
    } else {
      entry = pin(q, now);
    }
    const pinned = new URLSearchParams(entry.query);
    const scope = deps.scopes.resolve(pinned.get('scope') ?? 'global')!;
    const filters = ['tech', 'class', 'status', 'q']
      .filter((p) => pinned.get(p))
      .map((p) => `${p}=${pinned.get(p)}`)
      .join('; ');
    const stamp = new Date(entry.snapshot.at).toISOString().replace(/[:.]/g, '-').slice(0, 19);
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="meridian-devices-${scope.id.replace(/[^\w-]+/g, '-')}-${stamp}.csv"`,
      )
      .header('x-total-rows', String(entry.snapshot.size));
    return reply.send(
      Readable.from(
        deviceCsv(entry.snapshot, deps.directory, deps.scopes, {
          scope: `${scope.name} (${scope.id})`,
          filters,
          sort: `${pinned.get('sort')} ${pinned.get('order')}`,
          tz: q.tz,
        }),
      ),
    );
  });

  app.get<{ Params: { id: string } }>(
    '/api/v1/devices/:id',
    async (request): Promise<DeviceResponse> => {
      const q = parseQuery(deviceQuerySchema, request.query);
      const { id } = request.params;
      const now = deps.clock.now();
      const device = deps.directory.find(id, now);
      if (!device) throw new ApiError(404, 'not_found', `id: no device ${JSON.stringify(id)}`);
      const to = q.to ?? now;
      const from = q.from ?? to - 86_400_000;
      if (from >= to) throw new ApiError(400, 'invalid_parameter', 'from: must be before to');
      const all = deps.store.transitions(id, from, to);
      const kept = all.slice(-MAX_TRANSITIONS);
      return {
        device,
        firstSeen: deps.store.device(id)?.firstSeen ?? null,
        from,
        to,
        transitions: kept.map((c) => ({ t: c.t, status: c.status })),
        truncated: kept.length < all.length,
        watchedSince: deps.watchedSince,
        traffic: deps.directory.recentTraffic(id, now),
      };
    },
  );

  app.get('/api/v1/devices', async (request): Promise<DevicesResponse> => {
    const q = parseQuery(devicesQuerySchema, request.query);
    const now = deps.clock.now();
    let entry;
    let position = 0;
    if (q.cursor !== undefined) {
      const cursor = decodeCursor(q.cursor);
      entry = deps.cache.get(cursor.s, now);
      if (!entry) {
        throw new ApiError(
          410,
          'cursor_expired',
          'cursor: the list it pages through has expired; ask again without a cursor',
        );
      }
      const given = new Set(Object.keys((request.query ?? {}) as object));
      const pinned = new URLSearchParams(entry.query);
      for (const p of SNAPSHOT_PARAMS) {
        if (given.has(p) && paramText(q, p) !== pinned.get(p)) {
          throw new ApiError(
            400,
            'invalid_parameter',
            `${p}: differs from the list the cursor pages through; leave it out, or start again without a cursor`,
          );
        }
      }
      const s = entry.snapshot;
      const before = cursor.p - 1;
      if (cursor.p > s.size || rowKey(s, s.rows[before]!) !== cursor.k) {
        throw new ApiError(400, 'invalid_cursor', 'cursor: not a cursor this server gave out');
      }
      position = cursor.p;
    } else {
      entry = pin(q, now);
    }
    const s = entry.snapshot;
    const end = Math.min(s.size, position + q.limit);
    const rows = [];
    for (let i = position; i < end; i++) rows.push(deps.directory.rowOf(s, s.rows[i]!));
    return {
      snapshot: {
        key: entry.key,
        at: s.at,
        expiresAt: entry.expiresAt,
        total: s.size,
        watchedSince: deps.watchedSince,
      },
      sort: s.sort,
      order: s.order,
      rows,
      next:
        end < s.size
          ? encodeCursor({ s: entry.key, p: end, k: rowKey(s, s.rows[end - 1]!) })
          : null,
    };
  });
}

function rowKey(s: { from: Uint8Array; index: Int32Array }, row: number): string {
  return `${s.from[row]}.${s.index[row]}`;
}
