// Fuzz of POST /api/v1/ingest: thousands of generated bad records, in NDJSON and JSON-array
// batches and as whole bad bodies, with good records in between. Replay a run with FUZZ_SEED.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IngestResponse } from '../../src/protocol/ingest.ts';
import { Fleet, Rand, Tally, fuzzSeed, type Outcome, type Rec } from '../support/ingest-fuzz.ts';
import {
  counted,
  expectFleetLanded,
  expected,
  rejectedMetric,
  settle,
  since,
} from '../support/ingest-fuzz-checks.ts';
import {
  droppedRecord,
  invalidRecord,
  malformedPayload,
  nest,
  tempting,
} from '../support/ingest-fuzz-bad.ts';
import { closeSockets, startServer, type RunningServer } from '../support/server.ts';

const SEED = fuzzSeed(20_260_526);
const TOKEN = 'fuzz-token-0123456789abcdef';
const MAX_BYTES = 65_536;
const LATENESS_MS = 3_600_000;
/** Room left under the body limit for separators and blank lines. */
const BATCH_BYTES = 60_000;
const DEVICES = ['constructor', 'toString', ...Array.from({ length: 38 }, (_, i) => `fz-${i}`)];

type Format = 'ndjson' | 'array';
interface Line {
  bytes: Buffer;
  outcome: Outcome;
}
const line = (rec: Rec): Line => ({ bytes: Buffer.from(rec.text), outcome: rec.outcome });
const isOk = (o: Outcome) => o === 'accepted' || o === 'duplicate';
const join = (parts: Buffer[], sep: string) =>
  Buffer.concat(parts.flatMap((p, i) => (i ? [Buffer.from(sep), p] : [p])));

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({
    INGEST_TOKEN: TOKEN,
    TICK_MS: '1000',
    TICK_GRACE_MS: '50',
    LATENESS: '1h',
    MAX_MESSAGE_BYTES: String(MAX_BYTES),
  });
});
afterAll(async () => server?.close());
afterEach(() => closeSockets());

async function post(body: Buffer, type: string, token: string | null = TOKEN) {
  const res = await server.app.inject({
    method: 'POST',
    url: '/api/v1/ingest',
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    payload: body,
  });
  return { status: res.statusCode, body: res.json() as IngestResponse & { duplicates: number } };
}

/** Sends records as one NDJSON or JSON-array batch and checks the answer record by record. */
async function sendBatch(r: Rand, lines: Line[], format: Format, tally: Tally) {
  let body: Buffer;
  let type: string;
  if (format === 'array') {
    const items = join(
      lines.map((l) => l.bytes),
      r.pick([',', ',\n', ' , ']),
    );
    body = Buffer.concat([Buffer.from('['), items, Buffer.from(']')]);
    type = r.pick(['application/json', 'application/json; charset=utf-8', 'text/plain']);
  } else {
    const sep = r.pick(['\n', '\r\n']);
    // Blank lines are skipped and do not shift the indexes in the answer.
    const parts = lines.map((l) =>
      r.chance(0.02) ? Buffer.concat([Buffer.from(sep), l.bytes]) : l.bytes,
    );
    body = Buffer.concat([join(parts, sep), Buffer.from(r.chance(0.5) ? sep : '')]);
    const types = [
      'application/x-ndjson',
      'application/ndjson',
      'application/x-ndjson; charset=utf-8',
    ];
    // NDJSON sent as JSON is taken too, when it is more than one line.
    type = r.pick(lines.length > 1 ? [...types, 'application/json', 'text/plain'] : types);
  }
  expect(body.length).toBeLessThanOrEqual(MAX_BYTES);
  const res = await post(body, type);
  const ok = lines.filter((l) => isOk(l.outcome)).length;
  const errors = lines.flatMap((l, index) =>
    isOk(l.outcome) ? [] : [{ index, reason: l.outcome }],
  );
  const want = {
    status: ok > 0 ? 200 : 400,
    accepted: ok,
    duplicates: lines.filter((l) => l.outcome === 'duplicate').length,
    rejected: lines.length - ok,
    errors: errors.slice(0, 100),
  };
  const got = {
    status: res.status,
    accepted: res.body.accepted,
    duplicates: res.body.duplicates,
    rejected: res.body.rejected,
    errors: res.body.errors?.map(({ index, reason }) => ({ index, reason })),
  };
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    // Name the first record the answer disagrees on, so the failure reads without a replay.
    const at = want.errors.findIndex(
      (e, i) => JSON.stringify(e) !== JSON.stringify(got.errors?.[i]),
    );
    const index = Math.min(want.errors[at]?.index ?? Infinity, got.errors?.[at]?.index ?? Infinity);
    const sample = lines[index]?.bytes.toString('utf8').slice(0, 300) ?? '(see counts)';
    expect(got, `seed ${SEED}, ${type} batch, record ${index}: ${sample}`).toEqual(want);
  }
  for (const l of lines) tally.add(l.outcome);
}

/**
 * Records of a pool of categories, taken in order, generated as they are taken (times are
 * current, counters in step with what was sent before).
 */
class Pool {
  private pending: Line | null = null;
  constructor(
    readonly categories: string[],
    private readonly make: (category: string) => Line,
  ) {}
  get size(): number {
    return this.categories.length + (this.pending ? 1 : 0);
  }
  /** Up to `max` records, fewer if more would not fit a batch. */
  take(max: number): Line[] {
    const lines: Line[] = [];
    let bytes = 0;
    while (this.size && lines.length < max) {
      const l = (this.pending ??= this.make(this.categories.pop()!));
      if (lines.length && bytes + l.bytes.length + 3 * lines.length > BATCH_BYTES) break;
      this.pending = null;
      lines.push(l);
      bytes += l.bytes.length;
    }
    return lines;
  }
}

describe(`HTTP ingest fuzz (seed ${SEED}; FUZZ_SEED=${SEED} replays it)`, () => {
  it('counts every bad record under its reason, answers each batch exactly, and loses no good record', async () => {
    const r = new Rand(SEED);
    const fleet = new Fleet(r, DEVICES);
    const start = Date.now();
    const setup = new Tally();
    await sendBatch(
      r,
      fleet.devices.map((d) => line(fleet.meta(d))),
      'ndjson',
      setup,
    );
    await sendBatch(
      r,
      fleet.devices.map((d) => line(fleet.report(d, Date.now()))),
      'array',
      setup,
    );
    const before = counted(server, 'http');
    expect(before.drops).toEqual(expected(new Tally()).drops);
    const tally = new Tally();

    // The sharpest cases first: only the first drop of a reason in 10 s is logged with a sample.
    const d = fleet.any();
    const tele = (ts: unknown) =>
      JSON.stringify({ type: 'telemetry', device: d.id, boot: 'x', ts });
    const edge: [string, Outcome][] = [
      [nest(15_000), 'invalid'],
      [`${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`, 'invalid'],
      [tele(1e300), 'invalid'],
      [tele(8.64e15 + 1), 'invalid'],
      [tele('9999999999999999'), 'invalid'],
      [tele(8.64e15), 'future'],
      ['['.repeat(5000), 'malformed'],
    ];
    const lines = edge.map(([text, outcome]) => ({ bytes: Buffer.from(text), outcome }));
    await sendBatch(r, [...lines, line(fleet.report(d, Date.now()))], 'ndjson', tally);

    const make = (category: string): Line => {
      if (category === 'good') return line(fleet.good(Date.now()));
      if (category === 'invalid') return line(invalidRecord(r, fleet, false, 2000));
      if (category === 'malformed') {
        return { bytes: malformedPayload(r, tempting(r, fleet), 8000), outcome: 'malformed' };
      }
      return line(droppedRecord(r, fleet, category as 'too_late', LATENESS_MS));
    };
    const pools: Record<Format, Pool> = {
      ndjson: new Pool(
        r.deal({
          malformed: 1500,
          invalid: 1600,
          unknown_device: 700,
          too_late: 500,
          future: 500,
          good: 500,
        }),
        make,
      ),
      array: new Pool(
        r.deal({ invalid: 500, unknown_device: 200, too_late: 150, future: 150, good: 150 }),
        make,
      ),
    };
    const left = { whole: 150, oversized: 60, unauthorised: 5 };
    for (;;) {
      const weights = { ndjson: pools.ndjson.size / 200, array: pools.array.size / 100, ...left };
      if (Object.values(weights).every((w) => w === 0)) break;
      const kind = r.weighted(weights);
      if (kind === 'ndjson' || kind === 'array') {
        await sendBatch(r, pools[kind].take(r.int(20, kind === 'array' ? 200 : 400)), kind, tally);
        continue;
      }
      left[kind]--;
      if (kind === 'whole') {
        // A body that is not JSON at all (and not NDJSON either: one line): one malformed; or
        // no body at all: one empty.
        const body = r.chance(0.03)
          ? Buffer.alloc(0)
          : r.chance(0.2)
            ? Buffer.from(`[${tempting(r, fleet)},${tempting(r, fleet)}`.slice(0, r.int(1, 200)))
            : malformedPayload(r, tempting(r, fleet), 8000);
        const types = ['application/json', 'text/plain', 'application/x-ndjson'];
        const res = await post(body, body.length ? r.pick(types) : 'application/json');
        const reason = body.length ? 'malformed' : 'empty';
        expect(res, `seed ${SEED}: ${body.toString('utf8').slice(0, 200)}`).toMatchObject({
          status: 400,
          body: { accepted: 0, rejected: 1, errors: [{ index: 0, reason }] },
        });
        tally.add(reason);
      } else if (kind === 'oversized') {
        const size = r.chance(0.2) ? MAX_BYTES + 1 : r.int(MAX_BYTES + 1, 3 * MAX_BYTES);
        const body = r.chance(0.5) ? Buffer.alloc(size, `${tempting(r, fleet)}\n`) : r.bytes(size);
        const res = await post(body, r.pick(['application/json', 'application/x-ndjson']));
        expect(res.status).toBe(413);
        tally.add('oversized');
      } else {
        // Without the token nothing is read, so nothing is counted either.
        const junk = Array.from({ length: 20 }, () =>
          make(r.pick(['malformed', 'invalid', 'future'])),
        );
        const body = join(
          junk.map((l) => l.bytes),
          '\n',
        );
        const token = r.chance(0.5) ? null : 'wrong-token-0123456789';
        expect((await post(body, 'application/x-ndjson', token)).status).toBe(401);
      }
    }

    // Bodies that grow past the limit while streaming, with no content-length to refuse them by.
    for (let i = 0; i < 2; i++) {
      const chunk = new TextEncoder().encode(`${tempting(r, fleet)}\n`.repeat(200));
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent > 2 * MAX_BYTES) return controller.close();
          sent += chunk.length;
          controller.enqueue(chunk);
        },
      });
      const res = await fetch(`${server.url}/api/v1/ingest`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' },
        body,
        duplex: 'half',
      } as RequestInit).catch((err: Error) => err);
      // The server may answer and close before the client has sent it all.
      if (!(res instanceof Error)) expect(res.status).toBe(413);
      tally.add('oversized');
    }

    const want = expected(tally);
    const got = await settle(
      () => since(before, counted(server, 'http')),
      (c) => c.drops.oversized >= want.drops.oversized,
      5000,
    );
    console.log(`HTTP fuzz (seed ${SEED}):`, JSON.stringify({ ...want, bad: tally.dropped }));
    expect(tally.dropped).toBeGreaterThanOrEqual(6000);
    expect(got, `seed ${SEED}`).toEqual(want);
    expect(counted(server, 'mqtt').drops).toEqual(expected(new Tally()).drops);
    expect(await rejectedMetric(server, 'http')).toEqual(counted(server, 'http').drops);

    await expectFleetLanded(server, fleet, start);
    // Still up, over the network.
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      ingest: { devices: DEVICES.length, accepted: { http: setup.n.accepted + want.accepted } },
    });
  }, 60_000);
});
