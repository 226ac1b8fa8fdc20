// First page of the device list (GET /api/v1/devices without a cursor: snapshot, filter, sort,
// page) and a following page, through the real route (app.inject) on the default 100,000-device
// fleet, an hour into the simulator's day so statuses have start times.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../src/server/app.ts';
import { ManualClock } from '../src/server/core/clock.ts';
import { loadConfig } from '../src/server/core/config.ts';
import { openSqliteDeviceStore } from '../src/server/storage/sqlite-device-store.ts';
import { openSqliteStore } from '../src/server/storage/sqlite-store.ts';
import { BENCH_START } from './support/pipeline.ts';
import { heading, ms, num, percentile, table } from './support/report.ts';
import { numberFromEnv } from './support/env.ts';

const DEVICES = numberFromEnv('BENCH_DEVICES', 100_000, 1);
const ROUNDS = 40;
const TARGET_P95_MS = 50;

const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-devices-'));
const clock = new ManualClock(BENCH_START);
const config = loadConfig({
  SIM_DEVICES: String(DEVICES),
  TICK_MS: '5000',
  BACKFILL_DAYS: '0',
  DATA_DIR: dir,
});
const store = openSqliteStore(join(dir, 'meridian.db'));
const devices = openSqliteDeviceStore(join(dir, 'devices.db'));
const server = await buildServer({ config, store, devices, clock });
await server.app.ready();
clock.advance(20 * 60_000);

async function get(
  url: string,
): Promise<{ ms: number; body: { next: string | null; snapshot: { total: number } } }> {
  const began = performance.now();
  const res = await server.app.inject({ url });
  const took = performance.now() - began;
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return { ms: took, body: res.json() };
}

const CASES: [string, string][] = [
  ['global, worst first (default)', 'scope=global'],
  ['global, tech=lorawan', 'scope=global&tech=lorawan'],
  ['global, status=offline, longest first', 'scope=global&status=offline&sort=since'],
  ['global, class=vehicle, by rate desc', 'scope=global&class=vehicle&sort=rate&order=desc'],
  ['global, by id', 'scope=global&sort=id'],
  ['global, id prefix sim-12', 'scope=global&q=sim-12'],
  ['region:asia, tech=cellular-4g', 'scope=region:asia&tech=cellular-4g'],
];

heading(
  `Device list, ${num(DEVICES)} devices: first page (snapshot + filter + sort + 100 rows) and the next page`,
  `${ROUNDS} rounds each, app.inject on one core; target first page p95 ≤ ${TARGET_P95_MS} ms`,
);
const rows: string[][] = [['query', 'matches', 'first p50', 'first p95', 'next p50', 'met']];
for (const [name, query] of CASES) {
  const first: number[] = [];
  const next: number[] = [];
  let total = 0;
  for (let i = 0; i < ROUNDS + 3; i++) {
    const a = await get(`/api/v1/devices?${query}&limit=100`);
    const b = a.body.next ? await get(`/api/v1/devices?cursor=${a.body.next}&limit=100`) : null;
    if (i < 3) continue; // warm-up
    first.push(a.ms);
    if (b) next.push(b.ms);
    total = a.body.snapshot.total;
  }
  const p95 = percentile(first, 95);
  rows.push([
    name,
    num(total),
    ms(percentile(first, 50)),
    ms(p95),
    next.length ? ms(percentile(next, 50)) : '—',
    p95 <= TARGET_P95_MS ? 'yes' : 'no',
  ]);
}
table(rows);
await server.app.close();
store.close();
devices.close();
rmSync(dir, { recursive: true, force: true });
