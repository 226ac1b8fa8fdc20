// The real back-fill of a fresh server (BACKFILL_DAYS=7, default fleet and retention), built by
// buildServer on the system clock exactly as main.ts builds it, with live ticks running
// meanwhile. By default it stops once it has measured each phase (seconds replayed one by one,
// minutes with sites, older minutes) for a while, or after CAP_S, and projects the rest from the
// rate of the phase it is in; BENCH_HISTORY_FULL=1 waits for status.state === 'done'. Figures,
// no assertions.
// Usage: [BENCH_HISTORY_FULL=1] node --import tsx bench/history-backfill.ts
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { buildServer } from '../src/server/app.ts';
import { loadConfig } from '../src/server/core/config.ts';
import { openSqliteDeviceStore } from '../src/server/storage/sqlite-device-store.ts';
import { openSqliteStore } from '../src/server/storage/sqlite-store.ts';
import { heading, mb, ms, num, table } from './support/report.ts';

const MINUTE = 60_000;
const CAP_S = 150;
/** Wall seconds of the oldest phase (older minutes) measured before stopping. */
const OLDER_S = 10;
const full = process.env.BENCH_HISTORY_FULL === '1';

const config = loadConfig({ BACKFILL_DAYS: '7', LOG_LEVEL: 'info' });
const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-backfill-'));
const store = openSqliteStore(join(dir, 'meridian.db'));
const devices = openSqliteDeviceStore(join(dir, 'devices.db'));
const lines: string[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
const loop = monitorEventLoopDelay({ resolution: 10 });

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => (stopping = true));

const began = performance.now();
const server = await buildServer({ config, store, devices, logger });
try {
  loop.enable();
  await server.app.ready(); // onReady: the pipeline ticks and history starts its back-fill
  const backfill = server.history.backfill;
  const samples: { s: number; progress: number }[] = [];
  const elapsed = () => (performance.now() - began) / 1000;
  const busy = () => backfill.status.state === 'idle' || backfill.status.state === 'running';
  const olderFrom = () => {
    const { seconds, progress } = backfill.status;
    const siteS = (config.history.retain.secMs + config.history.retain.siteMinMs) / 1000 + 60;
    return progress * seconds > siteS;
  };
  let olderSince = Number.NaN;
  const measured = () => {
    if (Number.isNaN(olderSince) && olderFrom()) olderSince = elapsed();
    return elapsed() - olderSince >= OLDER_S || elapsed() >= CAP_S;
  };
  while (busy() && !stopping && (full || !measured())) {
    await new Promise((r) => setTimeout(r, 250));
    samples.push({ s: elapsed(), progress: backfill.status.progress });
  }
  loop.disable();
  const status = { ...backfill.status };
  const history = server.history.status();
  const wallS = elapsed();
  const { from, to, seconds } = status;
  if (from === null || to === null) throw new Error(`back-fill did not plan: ${status.state}`);

  // Newest first: RETAIN_SECONDS second by second, then whole minutes: first those within
  // RETAIN_SITE_MINUTES (which write every site's minutes too), then older ones (aggregates only).
  const exactS = (to - Math.floor((to - config.history.retain.secMs) / MINUTE) * MINUTE) / 1000;
  const siteS = exactS + config.history.retain.siteMinMs / 1000;
  const sim = (x: { progress: number }) => x.progress * seconds;
  const exactDone = samples.find((x) => sim(x) >= exactS - 1);
  const sitesDone = samples.find((x) => sim(x) >= siteS);
  const last = samples.at(-1) ?? { s: wallS, progress: status.progress };
  /** Simulated seconds per wall second between two samples. */
  const rate = (a?: { s: number; progress: number }, b?: { s: number; progress: number }) =>
    a && b && b.s - a.s >= 5 ? (sim(b) - sim(a)) / (b.s - a.s) : Number.NaN;
  const sitesRate = rate(exactDone, sitesDone ?? last);
  const olderRate = rate(sitesDone, last);
  const projected =
    status.state === 'done'
      ? wallS
      : last.s + (seconds - sim(last)) / (Number.isFinite(olderRate) ? olderRate : sitesRate);
  const doneLine = lines
    .map((l) => JSON.parse(l) as { msg?: string; ms?: number })
    .find((l) => l.msg === 'back-fill done');

  heading(
    `history-backfill: BACKFILL_DAYS=${config.history.backfillDays}, ${num(config.simulator.devices)} devices, ` +
      `fresh store, live ticks running`,
    full
      ? 'Ran until done.'
      : `Stopped after ${num(wallS, 0)} s; the rest is projected (BENCH_HISTORY_FULL=1 runs it all).`,
  );
  table([
    ['figure', 'value'],
    [
      'state when measured',
      `${status.state}, ${num(status.progress * 100, 1)} % of ${num(seconds)} s`,
    ],
    ['wall time so far (server built → now)', `${num(wallS, 1)} s`],
    [
      'back-fill\'s own figure ("back-fill done")',
      doneLine?.ms ? `${num(doneLine.ms / 1000, 1)} s` : '—',
    ],
    [
      `second-by-second phase (${num(exactS / 60)} min, ${num((exactS / seconds) * 100, 2)} % of the seconds)`,
      exactDone
        ? `${num(exactDone.s, 1)} s (${num(exactS / exactDone.s, 0)}× real time)`
        : 'not finished',
    ],
    [
      `minutes with sites (${num(config.history.retain.siteMinMs / 3_600_000)} h), simulated per wall second`,
      Number.isFinite(sitesRate) ? `${num(sitesRate / 3600, 2)} h/s` : '—',
    ],
    [
      'older minutes (aggregates only), simulated per wall second',
      Number.isFinite(olderRate) ? `${num(olderRate / 3600, 2)} h/s` : '—',
    ],
    [
      status.state === 'done' ? 'total' : 'projected total',
      Number.isFinite(projected) ? `${num(projected, 0)} s` : '—',
    ],
    ['history rows written', num(history.rowsWritten)],
    ['device transitions written', num(history.transitionsWritten ?? 0)],
    [
      'event-loop delay p50 / p99 / max while back-filling',
      `${ms(loop.percentile(50) / 1e6)} / ${ms(loop.percentile(99) / 1e6)} / ${ms(loop.max / 1e6)}`,
    ],
    ['peak RSS', mb(process.resourceUsage().maxRSS * 1024)],
  ]);
} finally {
  await server.app.close();
  store.close();
  devices.close();
  const size = (f: string) => statSync(join(dir, f)).size;
  console.log(
    `\nafter close: meridian.db ${mb(size('meridian.db'))}, devices.db ${mb(size('devices.db'))}`,
  );
  rmSync(dir, { recursive: true, force: true });
}
