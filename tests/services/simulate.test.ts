import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { TickPayload } from '../../src/protocol/live.ts';
import {
  closeSockets,
  collectTicks,
  openSocket,
  startServer,
  subscribe,
  waitFor,
  type RunningServer,
} from '../support/server.ts';
import { serviceUrl } from '../support/services.ts';

const brokerUrl = serviceUrl('MERIDIAN_TEST_MQTT_URL');
const DEVICES = 80;

interface Run {
  code: number | null;
  lines: string[];
}

/** Runs `npm run simulate` (as its script does: tsx) and resolves when it has exited. */
function simulate(args: string[]): { done: Promise<Run>; lines: string[] } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/simulate.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n'));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const killer = setTimeout(() => child.kill('SIGKILL'), 40_000);
  const done = once(child, 'exit').then(([code]) => {
    clearTimeout(killer);
    return { code: code as number | null, lines };
  });
  return { done, lines };
}

async function meridian(prefix: string): Promise<RunningServer> {
  const server = await startServer({
    TICK_MS: '1000',
    TICK_GRACE_MS: '50',
    MQTT_URL: brokerUrl!,
    MQTT_TOPIC_PREFIX: prefix,
    MQTT_CLIENT_ID: `meridian-${prefix.replaceAll('/', '-')}`,
  });
  await waitFor(() => server.mqtt!.status().subscribed, 10_000, 'Meridian to subscribe');
  return server;
}

afterEach(() => closeSockets());

describe.skipIf(!brokerUrl)('npm run simulate against a real broker and Meridian', () => {
  // One per device and through gateways: the same fleet must arrive either way.
  for (const mode of ['per-device', 'gateway'] as const) {
    it(`shows the ${DEVICES} simulated devices with traffic (${mode}), then offline`, async () => {
      const prefix = `meridian-test/sim-${randomBytes(4).toString('hex')}`;
      const server = await meridian(prefix);
      try {
        const socket = openSocket(server.url);
        const ack = await subscribe(socket, { scope: 'global' });
        expect(ack.ok).toBe(true);
        const ticks: TickPayload[] = collectTicks(socket);
        const run = simulate([
          '--mqtt',
          brokerUrl!,
          '--prefix',
          prefix,
          '--devices',
          String(DEVICES),
          '--interval',
          '1',
          '--duration',
          '6',
          '--seed',
          'simulate-test',
          '--clear-retained',
          ...(mode === 'gateway' ? ['--gateway-size', '25'] : []),
        ]);
        // While it runs: every device described, most of them connected, traffic flowing.
        await waitFor(
          () =>
            ticks.some(
              (t) =>
                t.kpis.devices === DEVICES &&
                t.kpis.online + t.kpis.degraded > DEVICES / 2 &&
                t.kpis.bytesInRate > 0,
            ),
          20_000,
          `a tick with ${DEVICES} devices, most online, and traffic`,
        );
        const { code, lines } = await run.done;
        expect(code, lines.join('\n')).toBe(0);
        expect(lines.some((l) => / records\/s · 80 devices \(/.test(l))).toBe(true);
        expect(lines.some((l) => / 0 errors$/.test(l))).toBe(true);
        // Stopping takes the fleet offline (Last Wills, or the gateways' status records).
        await waitFor(
          () => {
            const k = ticks.at(-1)?.kpis;
            return k !== undefined && k.devices === DEVICES && k.offline === DEVICES;
          },
          10_000,
          'every device offline after the simulator stopped',
        );
        expect(server.ingest!.stats.droppedTotal()).toBe(0);
      } finally {
        await server.close();
      }
    }, 60_000);
  }
});
