// `npm run simulate -- --mqtt URL --devices N`: publishes a realistic fleet to any MQTT broker in
// Meridian's topic scheme (docs/ingest.md), as devices or gateways would. `--help` lists options.
import { randomBytes } from 'node:crypto';
import { DeviceMode } from './simulate/device-mode.ts';
import { FleetDriver } from './simulate/fleet-driver.ts';
import { GatewayMode } from './simulate/gateway-mode.ts';
import { connectClient, drain, publishAll, PublishStats } from './simulate/mqtt-io.ts';
import { parseOptions, USAGE, UsageError, type SimulateOptions } from './simulate/options.ts';

/** Reports are scheduled in slots of this length, spread evenly over the interval. */
const SLOT_MS = 100;
const STATUS_EVERY_MS = 5000;
/** Records waiting for their acknowledgement beyond which reports are deferred. */
const MAX_IN_FLIGHT = 50_000;

const fmt = (n: number, decimals = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: decimals });
const clock = () => new Date().toISOString().slice(11, 19);

async function main(o: SimulateOptions): Promise<void> {
  const began = performance.now();
  const driver = new FleetDriver({ devices: o.devices, seed: o.seed, idPrefix: o.idPrefix });
  const stats = new PublishStats();
  const clientPrefix = `meridian-sim-${randomBytes(3).toString('hex')}`;
  const perDevice = o.gatewaySize === 0;
  const mode = perDevice
    ? new DeviceMode(driver, stats, {
        url: o.mqtt,
        prefix: o.prefix,
        qos: o.qos,
        clientPrefix,
        maxInFlight: MAX_IN_FLIGHT,
      })
    : new GatewayMode(driver, stats, {
        url: o.mqtt,
        prefix: o.prefix,
        qos: o.qos,
        clientPrefix,
        gatewaySize: o.gatewaySize,
        connections: 4,
        maxInFlight: MAX_IN_FLIGHT,
      });
  const sites = new Set(driver.fleet.site).size;
  console.log(
    `simulate: ${fmt(o.devices)} devices at ${fmt(sites)} sites, ${
      perDevice
        ? 'one MQTT connection per device (Last Will: offline)'
        : `${fmt(mode.units)} gateways, batches of up to ${fmt(o.gatewaySize)} records`
    }; telemetry every ${fmt(o.interval, 1)} s (~${fmt(o.devices / o.interval)} records/s); ` +
      `prefix ${o.prefix}, QoS ${o.qos}, seed ${o.seed}`,
  );

  const control = await connectClient(o.mqtt, {
    clientId: `${clientPrefix}-control`,
    protocolVersion: 5,
    clean: true,
  });
  control.on('error', (err) => stats.error(err));
  // Every device's description, retained: a Meridian started later still learns the fleet.
  await publishAll(
    control,
    stats,
    o.devices,
    (d) => ({
      topic: `${o.prefix}/devices/${driver.id(d)}/meta`,
      payload: driver.metaJson(d),
      retain: true,
    }),
    1,
    1000,
    (done) => console.log(`${clock()} meta published for ${fmt(done)} devices`),
  );
  stats.records += o.devices;
  if (mode instanceof GatewayMode) await mode.start();
  console.log(
    `${clock()} meta of ${fmt(o.devices)} devices published (retained) in ${fmt(
      (performance.now() - began) / 1000,
      1,
    )} s; reporting`,
  );

  const slots = Math.max(1, Math.round((o.interval * 1000) / SLOT_MS));
  const units = mode.units;
  let last = Math.floor(Date.now() / SLOT_MS);
  let skipped = 0;
  let timer: NodeJS.Timeout | null = null;
  const tick = () => {
    const now = Date.now();
    const current = Math.floor(now / SLOT_MS);
    if (current - last > slots) {
      // More than a whole interval behind: every unit reports once, the rest is skipped.
      skipped += current - last - slots;
      last = current - slots;
    }
    for (let k = last + 1; k <= current; k++) {
      for (let u = k % slots; u < units; u += slots) mode.report(u, now);
    }
    last = current;
    timer = setTimeout(tick, Math.max(1, (current + 1) * SLOT_MS - Date.now()));
  };
  tick();

  let seen = { records: stats.records, at: performance.now() };
  const line = () => {
    const at = performance.now();
    const rate = ((stats.records - seen.records) * 1000) / (at - seen.at);
    seen = { records: stats.records, at };
    const s = driver.countStatuses();
    console.log(
      `${clock()} ${fmt(rate)} records/s · ${fmt(o.devices)} devices (${fmt(s.online)} online, ` +
        `${fmt(s.degraded)} degraded, ${fmt(s.offline)} offline) · ${fmt(driver.reboots)} reboots · ` +
        `${fmt(stats.errors)} errors${stats.lastError ? ` (last: ${stats.lastError})` : ''}` +
        (stats.deferred || skipped
          ? ` · ${fmt(stats.deferred)} reports deferred, ${fmt(skipped)} slots skipped`
          : ''),
    );
  };
  const status = setInterval(line, STATUS_EVERY_MS);

  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        console.log(`${clock()} ${signal}: stopping`);
        resolve();
        // A second signal does not wait for the broker.
        const first = Date.now();
        // Wrappers (npm, tsx) relay the same Ctrl-C: only a later one means "now".
        process.on(signal, () => {
          if (Date.now() - first > 1000) process.exit(1);
        });
      });
    }
    if (o.duration !== null) setTimeout(resolve, o.duration * 1000).unref();
  });

  if (timer) clearTimeout(timer);
  clearInterval(status);
  line();
  await mode.stop();
  await drain(stats, 5000);
  if (o.clearRetained) {
    const kinds = perDevice ? ['meta', 'status'] : ['meta'];
    await publishAll(
      control,
      stats,
      o.devices * kinds.length,
      (i) => ({
        topic: `${o.prefix}/devices/${driver.id(Math.floor(i / kinds.length))}/${kinds[i % kinds.length]}`,
        payload: '',
        retain: true,
      }),
      1,
    );
    console.log(`${clock()} retained messages cleared`);
  }
  if (mode instanceof GatewayMode) await mode.close();
  await control.endAsync(false).catch(() => control.end(true));
  console.log(
    `${clock()} stopped after ${fmt((performance.now() - began) / 1000, 1)} s: ${fmt(
      stats.messages,
    )} messages, ${fmt(stats.records)} records, ${fmt(stats.errors)} errors`,
  );
}

let options: SimulateOptions | null;
try {
  options = parseOptions(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(`simulate: ${err.message}\n\n${USAGE}`);
  process.exit(2);
}
if (!options) {
  console.log(USAGE);
} else {
  try {
    await main(options);
    process.exit(0);
  } catch (err) {
    console.error(`simulate: ${(err as Error).message}`);
    process.exit(1);
  }
}
