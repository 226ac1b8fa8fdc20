// What the server says it counted and shows, read the ways an operator and a user would, for
// the ingest fuzz suites.
import { expect } from 'vitest';
import type { HistoryResponse } from '../../src/protocol/api.ts';
import { DROP_REASONS, type DropReason } from '../../src/protocol/ingest.ts';
import type { Kpis } from '../../src/protocol/metrics.ts';
import type { Fleet, Tally, Totals } from './ingest-fuzz.ts';
import { openSocket, subscribe, type RunningServer } from './server.ts';

type Source = 'mqtt' | 'http';
export interface Counted {
  drops: Record<DropReason, number>;
  accepted: number;
  duplicates: number;
}

const zeros = () =>
  Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>;

/** The ingest counters of one source, as IngestStats holds them. */
export function counted(server: RunningServer, source: Source): Counted {
  const stats = server.ingest!.stats;
  const drops = zeros();
  for (const [s, reason, n] of stats.drops()) if (s === source) drops[reason] += n;
  return { drops, accepted: stats.accepted[source], duplicates: stats.duplicates[source] };
}

/** The increase of each counter since `before`. */
export function since(before: Counted, after: Counted): Counted {
  const drops = zeros();
  for (const r of DROP_REASONS) drops[r] = after.drops[r] - before.drops[r];
  return {
    drops,
    accepted: after.accepted - before.accepted,
    duplicates: after.duplicates - before.duplicates,
  };
}

/** What a tally of sent records says the counters must have gone up by. */
export function expected(tally: Tally): Counted {
  const drops = zeros();
  for (const r of DROP_REASONS) if (r !== 'duplicate') drops[r] = tally.n[r];
  return { drops, accepted: tally.n.accepted, duplicates: tally.n.duplicate };
}

/** meridian_ingest_rejected_total of one source from GET /metrics. */
export async function rejectedMetric(server: RunningServer, source: Source) {
  const res = await server.app.inject({ url: '/metrics' });
  const out = zeros();
  const line = /^meridian_ingest_rejected_total\{([^}]*)\} (\S+)$/gm;
  for (const [, labels, value] of res.body.matchAll(line)) {
    const l = Object.fromEntries(
      [...labels!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (l.source === source) out[l.reason as DropReason] += Number(value);
  }
  return out;
}

/** The latest figures of a scope, as a browser subscribing to it gets them. */
export async function kpisOf(server: RunningServer, scope = 'global'): Promise<Kpis> {
  const socket = openSocket(server.url);
  try {
    const ack = await subscribe(socket, { scope });
    if (!ack.ok) throw new Error(ack.error.message);
    return ack.data.kpis;
  } finally {
    socket.close();
  }
}

/** Polls `read` until `done` holds or `ms` pass; returns the last reading either way. */
export async function settle<T>(read: () => Promise<T> | T, done: (v: T) => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

/** Traffic of a scope in [from, to) from GET /api/v1/history at one-second resolution. */
export async function historyTotals(server: RunningServer, from: number, to: number) {
  const res = await server.app.inject({
    url: `/api/v1/history?scope=global&metrics=msgRate,bytesInRate,bytesOutRate&from=${from}&to=${to}&maxPoints=1000`,
  });
  const h = res.json() as HistoryResponse;
  const sum = (values: (number | null)[] | undefined) =>
    (values ?? []).reduce<number>((s, v) => s + (v ?? 0), 0);
  return {
    stepMs: h.stepMs,
    msgs: sum(h.series.msgRate),
    bytesIn: sum(h.series.bytesInRate),
    bytesOut: sum(h.series.bytesOutRate),
  };
}

/** Whether two traffic totals agree (history sums shares of seconds: allow float dust). */
export const sameTraffic = (a: Totals, b: Totals) =>
  (['msgs', 'bytesIn', 'bytesOut'] as const).every((k) => Math.abs(a[k] - b[k]) < 1e-3);

/** The fleet is live (every device online) and history holds the traffic its reports imply. */
export async function expectFleetLanded(server: RunningServer, fleet: Fleet, start: number) {
  const n = fleet.devices.length;
  expect(server.ingest!.engine.devices.size).toBe(n);
  const kpis = await settle(
    () => kpisOf(server),
    (k) => k.devices === n && k.online === n,
  );
  expect(kpis).toMatchObject({ devices: n, online: n, degraded: 0, offline: 0 });
  const traffic = fleet.totals();
  expect(traffic.bytesIn).toBeGreaterThan(0);
  const from = Math.floor(start / 1000) * 1000 - 2000;
  const history = await settle(
    () => historyTotals(server, from, Math.ceil(Date.now() / 1000) * 1000 + 2000),
    (h) => sameTraffic(h, traffic),
  );
  expect(history.stepMs).toBe(1000);
  expect(history).toMatchObject({
    msgs: expect.closeTo(traffic.msgs, 3),
    bytesIn: expect.closeTo(traffic.bytesIn, 3),
    bytesOut: expect.closeTo(traffic.bytesOut, 3),
  });
}
