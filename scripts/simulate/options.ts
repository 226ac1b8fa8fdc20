import { parseArgs } from 'node:util';

export interface SimulateOptions {
  mqtt: string;
  devices: number;
  prefix: string;
  /** Seconds between two telemetry reports of a device. */
  interval: number;
  /** Records per gateway batch; 0 = every device on its own connection. */
  gatewaySize: number;
  /** Seconds to run; null = until SIGINT/SIGTERM. */
  duration: number | null;
  seed: string;
  qos: 0 | 1;
  idPrefix: string;
  clearRetained: boolean;
}

export const USAGE = `Usage: npm run simulate -- --mqtt URL [options]

Publishes a simulated fleet (the dashboard simulator's sites, mix, status and traffic models) to
an MQTT broker in Meridian's topic scheme.

  --mqtt URL            broker, e.g. mqtt://127.0.0.1:1883 (required)
  --devices N           fleet size (default 1000)
  --prefix P            topic prefix (default meridian/v1)
  --interval S          seconds between two telemetry reports of a device (default 10)
  --gateway-size N      records per gateway batch; 0 = one connection per device with its Last
                        Will (default: 0 up to ${(2000).toLocaleString('en-US')} devices, else 500)
  --duration S          stop after S seconds of reporting (default: until Ctrl-C or SIGTERM)
  --seed TEXT           seed of the simulated world (default meridian)
  --qos 0|1             publish QoS (default 1)
  --id-prefix TEXT      device ids are TEXT0, TEXT1 … (default dev-)
  --clear-retained      on exit, clear the retained meta and status messages it published
  --help`;

/** Devices above which the default is gateway batches instead of a connection per device. */
export const PER_DEVICE_DEFAULT_MAX = 2000;
/** Connections per device above this would exhaust file descriptors on a typical host. */
export const PER_DEVICE_MAX = 10_000;
export const MAX_DEVICES = 5_000_000;

export class UsageError extends Error {}

function number(name: string, raw: string | undefined, min: number, max: number): number | null {
  if (raw === undefined) return null;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min || v > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, not "${raw}"`);
  }
  return v;
}

/** Parses the command line; throws UsageError naming the bad option. Returns null for --help. */
export function parseOptions(argv: string[]): SimulateOptions | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        mqtt: { type: 'string' },
        devices: { type: 'string' },
        prefix: { type: 'string' },
        interval: { type: 'string' },
        'gateway-size': { type: 'string' },
        duration: { type: 'string' },
        seed: { type: 'string' },
        qos: { type: 'string' },
        'id-prefix': { type: 'string' },
        'clear-retained': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return null;
  if (!values.mqtt) throw new UsageError('--mqtt URL is required');
  if (!/^(mqtts?|wss?|tcp|ssl):\/\//.test(values.mqtt)) {
    throw new UsageError(`--mqtt must be an mqtt://, mqtts://, ws:// or wss:// URL`);
  }
  const devices = Math.round(number('devices', values.devices, 1, MAX_DEVICES) ?? 1000);
  const gatewaySize = Math.round(
    number('gateway-size', values['gateway-size'], 0, 100_000) ??
      (devices > PER_DEVICE_DEFAULT_MAX ? 500 : 0),
  );
  if (gatewaySize === 0 && devices > PER_DEVICE_MAX) {
    throw new UsageError(
      `one connection per device is limited to ${PER_DEVICE_MAX.toLocaleString('en-US')} devices: use --gateway-size`,
    );
  }
  const prefix = (values.prefix ?? 'meridian/v1').replace(/\/+$/, '');
  if (!prefix || /[#+]/.test(prefix))
    throw new UsageError('--prefix must be topic levels without + or #');
  const idPrefix = values['id-prefix'] ?? 'dev-';
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,100}$/.test(idPrefix)) {
    throw new UsageError(
      '--id-prefix must start with a letter or digit and use A–Z a–z 0–9 . _ : -',
    );
  }
  const qos = values.qos ?? '1';
  if (qos !== '0' && qos !== '1') throw new UsageError('--qos must be 0 or 1');
  return {
    mqtt: values.mqtt,
    devices,
    prefix,
    interval: number('interval', values.interval, 0.1, 86_400) ?? 10,
    gatewaySize,
    duration: number('duration', values.duration, 0.1, 365 * 86_400),
    seed: values.seed ?? 'meridian',
    qos: qos === '0' ? 0 : 1,
    idPrefix,
    clearRetained: values['clear-retained'] ?? false,
  };
}
