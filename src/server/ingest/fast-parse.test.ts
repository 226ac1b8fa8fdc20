import { describe, expect, it } from 'vitest';
import { DEVICE_CLASSES, STATUSES, TECHNOLOGIES } from '../../protocol/dimensions.ts';
import {
  ingestRecordSchema,
  metaBodySchema,
  statusBodySchema,
  telemetryBodySchema,
} from '../../protocol/ingest.ts';
import { rng } from '../core/random.ts';
import { fastIngestRecord, fastMetaBody, fastStatusBody, fastTelemetryBody } from './fast-parse.ts';

const CASES = 30_000;

/** Values that sit on or next to each rule of the schemas, all of them producible by JSON.parse. */
const EDGES: unknown[] = [
  null,
  true,
  false,
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  42,
  89.999,
  90,
  90.0001,
  -90,
  -180.5,
  180,
  1795702927000,
  -1795702927000,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 1,
  2 ** 60,
  1e21,
  JSON.parse('1e999') as number, // Infinity
  JSON.parse('-1e999') as number,
  '',
  ' ',
  'a',
  'b1',
  '7f3a',
  '0',
  '-5',
  '1795702927000',
  ' 1795702927000 ',
  '12345678901234567',
  '2026-11-26T14:02:07Z',
  '2026-11-26T14:02:07.123+02:00',
  '2026-11-26',
  '2026-13-40T99:00:00Z',
  'yesterday',
  '1969-12-31T23:59:59Z',
  'fr-paris',
  'site:fr-lyon',
  'unassigned',
  'x'.repeat(64),
  'x'.repeat(65),
  '😀'.repeat(64), // 128 units, 64 code points
  '😀'.repeat(65),
  'x'.repeat(128),
  'x'.repeat(129),
  '😀'.repeat(128),
  '\uD800'.repeat(64), // lone surrogates: one code point each
  '\uD800'.repeat(65),
  'meter-0042',
  '-bad',
  'a/b',
  'a'.repeat(129),
  ...TECHNOLOGIES,
  ...DEVICE_CLASSES,
  ...STATUSES,
  'ONLINE',
  'meta',
  'status',
  'telemetry',
  [],
  [1, 2],
  {},
  { status: 'online' },
];

const FIELDS = [
  'type',
  'device',
  'site',
  'lat',
  'lon',
  'tech',
  'class',
  'status',
  'ts',
  'boot',
  'msgs',
  'bytesIn',
  'bytesOut',
  'extra',
];

function validRecord(random: () => number): Record<string, unknown> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const device = `dev-${Math.floor(random() * 1000)}`;
  switch (pick(['meta', 'meta-coords', 'status', 'status-no-ts', 'telemetry', 'telemetry-min'])) {
    case 'meta':
      return {
        type: 'meta',
        device,
        site: 'fr-paris',
        tech: pick(TECHNOLOGIES),
        class: pick(DEVICE_CLASSES),
      };
    case 'meta-coords':
      return {
        type: 'meta',
        device,
        lat: 45.76,
        lon: 4.84,
        tech: pick(TECHNOLOGIES),
        class: pick(DEVICE_CLASSES),
      };
    case 'status':
      return { type: 'status', device, status: pick(STATUSES), ts: 1795702927000 };
    case 'status-no-ts':
      return { type: 'status', device, status: pick(STATUSES) };
    case 'telemetry':
      return {
        type: 'telemetry',
        device,
        boot: 'b1',
        ts: 1795702927000,
        msgs: 3,
        bytesIn: 900,
        bytesOut: 10,
      };
    default:
      return { type: 'telemetry', device, boot: 7, ts: '2026-11-26T14:02:07Z' };
  }
}

/** A valid record with 0–3 fields replaced by edge values, removed, or added. */
function generate(random: () => number): unknown {
  if (random() < 0.03) return EDGES[Math.floor(random() * EDGES.length)];
  const record = validRecord(random);
  const changes = Math.floor(random() * 4);
  for (let i = 0; i < changes; i++) {
    const field = FIELDS[Math.floor(random() * FIELDS.length)]!;
    if (random() < 0.2) delete record[field];
    else record[field] = EDGES[Math.floor(random() * EDGES.length)];
  }
  return record;
}

function compare(
  name: string,
  fast: (v: unknown) => unknown,
  zod: (v: unknown) => { success: boolean; data?: unknown },
  seed: number,
): { accepted: number; rejected: number } {
  const random = rng(seed);
  let accepted = 0;
  let rejected = 0;
  for (let i = 0; i < CASES; i++) {
    const input = generate(random);
    const expected = zod(input);
    const got = fast(input);
    if (expected.success) {
      accepted++;
      expect(got, `${name} accepts ${JSON.stringify(input)}`).toStrictEqual(expected.data);
      // Key order too: a record dropped later (too late, unknown device) is logged as JSON.
      expect(JSON.stringify(got), `${name} orders ${JSON.stringify(input)}`).toBe(
        JSON.stringify(expected.data),
      );
    } else {
      rejected++;
      expect(got, `${name} rejects ${JSON.stringify(input)}`).toBeNull();
    }
  }
  return { accepted, rejected };
}

describe('the fast ingest parser', () => {
  it('accepts exactly what ingestRecordSchema accepts, with the same output', () => {
    const { accepted, rejected } = compare(
      'record',
      fastIngestRecord,
      (v) => ingestRecordSchema.safeParse(v),
      1,
    );
    // The generator must exercise both sides, or the comparison proves nothing.
    expect(accepted).toBeGreaterThan(CASES / 5);
    expect(rejected).toBeGreaterThan(CASES / 5);
  });

  it('matches each body schema (the per-device MQTT topics)', () => {
    const bodies = [
      ['telemetry', fastTelemetryBody, telemetryBodySchema],
      ['status', fastStatusBody, statusBodySchema],
      ['meta', fastMetaBody, metaBodySchema],
    ] as const;
    for (const [name, fast, schema] of bodies) {
      const { accepted, rejected } = compare(name, fast, (v) => schema.safeParse(v), 7);
      expect(accepted, name).toBeGreaterThan(CASES / 20);
      expect(rejected, name).toBeGreaterThan(CASES / 20);
    }
  });

  it('matches on the edge values themselves', () => {
    for (const v of EDGES) {
      const z = ingestRecordSchema.safeParse(v);
      expect(fastIngestRecord(v)).toStrictEqual(z.success ? z.data : null);
      const t = telemetryBodySchema.safeParse(v);
      expect(fastTelemetryBody(v)).toStrictEqual(t.success ? t.data : null);
    }
  });
});
