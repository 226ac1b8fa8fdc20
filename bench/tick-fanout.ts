// One tick to 1,000 connected sockets: the server's time per tick and the bytes per client.
// The server runs as its own process (the real entry point); the clients run in this process,
// on the same 2-core machine, so they compete with the server for CPU.
import type { HealthResponse } from '../src/protocol/api.ts';
import type { ScopesResponse } from '../src/protocol/scopes.ts';
import {
  closeClients,
  connectClients,
  subscribeClients,
  type MeteredClient,
} from './support/clients.ts';
import { heading, kb, mb, median, ms, num, table } from './support/report.ts';
import { startServerProcess, type ServerProcess } from '../tests/support/server-process.ts';

const CLIENTS = 1000;
const CONNECT_BATCH = 50;
const SUBSCRIBE_BATCH = 100;
const TICKS = 10;
const COUNTRIES = 50;
const WATCHDOG_MS = 100_000;

interface Window {
  label: string;
  durations: number[];
  serverCpuPct: number;
  clientCpuPct: number;
  serverRss: number;
  /** Per delivered tick: bytes, delay after the tick's end, and the seq. */
  received: { seq: number; bytes: number; text: number; binary: number; delay: number }[];
  expected: number;
  /** Per tick: time from the first client receiving it to the last. */
  spreads: number[];
}

async function health(server: ServerProcess): Promise<HealthResponse> {
  const res = await fetch(`${server.url}healthz`);
  return (await res.json()) as HealthResponse;
}

/** Watches `ticks` ticks through /healthz while the clients count what they receive. */
async function measure(
  server: ServerProcess,
  clients: readonly MeteredClient[],
  label: string,
  ticks: number,
): Promise<Window> {
  for (const c of clients) c.reset();
  const cpu0 = server.cpuMs();
  const clientCpu0 = process.cpuUsage();
  const t0 = performance.now();
  const startSeq = (await health(server)).lastTick?.seq ?? 0;
  const durations = new Map<number, number>();
  while (durations.size < ticks) {
    await new Promise((r) => setTimeout(r, 150));
    const last = (await health(server)).lastTick;
    if (last && last.seq > startSeq) durations.set(last.seq, last.durationMs);
  }
  const lastSeq = Math.max(...durations.keys());
  await new Promise((r) => setTimeout(r, 500)); // let the last tick reach every client
  const wallMs = performance.now() - t0;
  const clientCpu = process.cpuUsage(clientCpu0);

  const received: Window['received'] = [];
  const firstAt = new Map<number, number>();
  const lastAt = new Map<number, number>();
  for (const c of clients) {
    for (const t of c.ticks) {
      if (t.seq <= startSeq || t.seq > lastSeq) continue;
      received.push({
        seq: t.seq,
        bytes: t.text + t.binary,
        text: t.text,
        binary: t.binary,
        delay: t.at - t.ts,
      });
      firstAt.set(t.seq, Math.min(firstAt.get(t.seq) ?? Infinity, t.at));
      lastAt.set(t.seq, Math.max(lastAt.get(t.seq) ?? -Infinity, t.at));
    }
  }
  return {
    label,
    durations: [...durations.values()],
    serverCpuPct: ((server.cpuMs() - cpu0) / wallMs) * 100,
    clientCpuPct: ((clientCpu.user + clientCpu.system) / 1000 / wallMs) * 100,
    serverRss: server.rss(),
    received,
    expected: clients.length * (lastSeq - startSeq),
    spreads: [...firstAt.keys()].map((seq) => lastAt.get(seq)! - firstAt.get(seq)!),
  };
}

function row(w: Window): string[] {
  const bytes = w.received.map((r) => r.bytes);
  const delays = w.received.map((r) => r.delay);
  const perClient = bytes.length
    ? `${kb(median(bytes))} (${kb(Math.min(...bytes))}–${kb(Math.max(...bytes))})`
    : '—';
  return [
    w.label,
    num(w.durations.length),
    ms(median(w.durations)),
    ms(Math.max(...w.durations)),
    `${num(w.serverCpuPct)} %`,
    `${num(w.clientCpuPct)} %`,
    mb(w.serverRss),
    perClient,
    `${num(w.received.length)} / ${num(w.expected)}`,
    delays.length ? `${ms(median(delays))} / ${ms(Math.max(...delays))}` : '—',
    w.spreads.length ? ms(median(w.spreads)) : '—',
  ];
}

async function main(): Promise<void> {
  const server = await startServerProcess({ SIM_DEVICES: '100000', TICK_MS: '1000' });
  let clients: MeteredClient[] = [];
  try {
    const scopes = (await (await fetch(`${server.url}api/v1/scopes`)).json()) as ScopesResponse;
    const countries = scopes.scopes
      .filter((s) => s.kind === 'country')
      .sort((a, b) => b.siteCount - a.siteCount)
      .slice(0, COUNTRIES)
      .map((s) => s.id);

    const windows: Window[] = [await measure(server, [], 'no clients (baseline)', 5)];
    const connectBegan = performance.now();
    clients = await connectClients(server.url, CLIENTS, CONNECT_BATCH);
    const connectMs = performance.now() - connectBegan;
    const subscribeBegan = performance.now();
    await subscribeClients(clients, () => 'global', SUBSCRIBE_BATCH);
    const subscribeMs = performance.now() - subscribeBegan;
    windows.push(await measure(server, clients, `${num(CLIENTS)} clients on global`, TICKS));
    await subscribeClients(clients, (i) => countries[i % countries.length]!, SUBSCRIBE_BATCH);
    windows.push(
      await measure(
        server,
        clients,
        `${num(CLIENTS)} clients over ${countries.length} countries`,
        TICKS,
      ),
    );
    const global = windows[1]!.received[0];

    heading(
      `tick-fanout: one tick to ${num(CLIENTS)} sockets (server: 100,000 devices, TICK_MS=1000)`,
      'The clients run in the benchmark process on the same 2-core machine as the server, so ' +
        "they compete with it for CPU; tick time is the server's own /healthz lastTick.durationMs " +
        '(simulator step + slot close + building every watched view + emitting to its room).',
    );
    table([
      [
        'variant',
        'ticks',
        'tick p50',
        'tick max',
        'server CPU',
        'clients CPU',
        'server RSS',
        'bytes/client/tick (min–max)',
        'ticks received / sent',
        'delay after tick end p50 / max',
        'fan-out spread p50',
      ],
      ...windows.map(row),
    ]);
    console.log('');
    table([
      ['figure', 'value'],
      [
        'global tick on the wire (engine.io text + binary frames)',
        global
          ? `${num(global.bytes)} B = ${num(global.text)} B text + ${num(global.binary)} B binary`
          : '—',
      ],
      [`connect ${num(CLIENTS)} sockets (${CONNECT_BATCH} at a time)`, ms(connectMs)],
      [
        `subscribe ${num(CLIENTS)} sockets to global (${SUBSCRIBE_BATCH} at a time)`,
        ms(subscribeMs),
      ],
    ]);
    console.log('');
    for (const w of windows) {
      console.log(`tick times, ${w.label}: ${w.durations.map((d) => num(d, 1)).join(', ')} ms`);
    }
    console.log(
      '\nCPU is % of one core over the window. Delay after tick end includes TICK_GRACE_MS (100 ms) ' +
        "and the clients' own decoding; spread is first-to-last client for the same tick.",
    );
  } finally {
    closeClients(clients);
    await server.stop();
  }
}

setTimeout(() => {
  console.error(`tick-fanout: gave up after ${WATCHDOG_MS / 1000} s`);
  process.exit(1); // the exit hook kills the server
}, WATCHDOG_MS).unref();

await main();
