// Fuzz of MQTT ingest against a real broker: thousands of generated bad messages on device and
// gateway topics, with good records in between. Replay a run with FUZZ_SEED.
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  Fleet,
  Rand,
  Tally,
  fuzzSeed,
  json,
  type Outcome,
  type Rec,
} from '../support/ingest-fuzz.ts';
import {
  counted,
  expectFleetLanded,
  expected,
  rejectedMetric,
  settle,
  since,
} from '../support/ingest-fuzz-checks.ts';
import {
  badTopicId,
  droppedRecord,
  invalidRecord,
  malformedPayload,
  tempting,
} from '../support/ingest-fuzz-bad.ts';
import { closeSockets, startServer, waitFor, type RunningServer } from '../support/server.ts';
import { serviceUrl } from '../support/services.ts';

const brokerUrl = serviceUrl('MERIDIAN_TEST_MQTT_URL');
const SEED = fuzzSeed(20_260_527);
// Topics and client ids of this run only, so runs on a shared broker never meet.
const run = randomBytes(4).toString('hex');
const PREFIX = `meridian-fuzz/${run}`;
const CLIENT_ID = `meridian-fuzz-${run}`;
const MAX_BYTES = 4096;
const LATENESS_MS = 3_600_000;
/**
 * Messages published before waiting for Meridian to catch up with the window before: keeps
 * what the broker queues for Meridian far below Mosquitto's max_queued_messages (1000), past
 * which it drops QoS 1 messages.
 */
const WINDOW = 200;
const DEVICES = ['constructor', 'toString', ...Array.from({ length: 38 }, (_, i) => `fz-${i}`)];

interface Msg {
  topic: string;
  payload: Buffer;
  outcomes: Outcome[];
}
const onTopic = (rec: Rec): Msg => ({
  topic: `devices/${rec.device}/${rec.kind}`,
  payload: Buffer.from(rec.text),
  outcomes: [rec.outcome],
});
function batch(gateway: string, recs: Rec[], wrapped: boolean): Msg {
  const items = `[${recs.map((x) => x.text).join(',')}]`;
  const text = wrapped ? `{"gateway":"${gateway}","records":${items}}` : items;
  if (text.length > MAX_BYTES) throw new Error('a generated batch is over the size limit');
  return {
    topic: `gateways/${gateway}/batch`,
    payload: Buffer.from(text),
    outcomes: recs.map((x) => x.outcome),
  };
}

const KINDS = ['meta', 'status', 'telemetry'] as const;
const NOT_A_BATCH = [
  '42',
  '"records"',
  'null',
  'true',
  '{}',
  '{"records":{}}',
  '{"records":"[]"}',
  '{"records":null}',
];

/** One message of a category, generated when it is about to be sent (times are current). */
function message(r: Rand, fleet: Fleet, category: string): Msg {
  const known = fleet.any().id;
  const gateway = `gw-${r.int(0, 9)}`;
  switch (category) {
    case 'good': {
      const roll = r.int(0, 19);
      if (roll === 0)
        return batch(
          gateway,
          Array.from({ length: r.int(1, 4) }, () => fleet.good(Date.now())),
          r.chance(0.3),
        );
      if (roll === 1) {
        // A good record right at the size limit, padded with whitespace.
        const m = onTopic(fleet.meta(fleet.any()));
        return {
          ...m,
          payload: Buffer.concat([m.payload, Buffer.alloc(MAX_BYTES - m.payload.length, ' ')]),
        };
      }
      return onTopic(fleet.good(Date.now()));
    }
    case 'invalid':
      return onTopic(invalidRecord(r, fleet, true, 300));
    case 'unknown_device':
    case 'too_late':
    case 'future':
      return onTopic(droppedRecord(r, fleet, category, LATENESS_MS));
    case 'malformed': {
      const payload = r.chance(0.02)
        ? Buffer.alloc(MAX_BYTES, '#')
        : malformedPayload(r, tempting(r, fleet), MAX_BYTES);
      return { topic: `devices/${known}/${r.pick(KINDS)}`, payload, outcomes: ['malformed'] };
    }
    case 'malformed_batch': {
      const text = r.chance(0.3) ? r.pick([...NOT_A_BATCH, tempting(r, fleet)]) : null;
      const payload = text ? Buffer.from(text) : malformedPayload(r, tempting(r, fleet), MAX_BYTES);
      return { topic: `gateways/${gateway}/batch`, payload, outcomes: ['malformed'] };
    }
    case 'empty_batch': {
      const text = r.pick(['[]', '{"records":[]}', ' [ ] ']);
      return {
        topic: `gateways/${gateway}/batch`,
        payload: Buffer.from(text),
        outcomes: ['empty'],
      };
    }
    case 'oversized': {
      const size = r.chance(0.2) ? MAX_BYTES + 1 : r.int(MAX_BYTES + 1, 3 * MAX_BYTES);
      const text = tempting(r, fleet);
      const payload = r.chance(0.5)
        ? Buffer.concat([Buffer.from(text), Buffer.alloc(size - text.length, ' ')])
        : r.bytes(size);
      const topic = r.pick([
        `devices/${known}/telemetry`,
        `gateways/${gateway}/batch`,
        `devices/${badTopicId(r, fleet)}/meta`,
      ]);
      return { topic, payload, outcomes: ['oversized'] };
    }
    case 'unknown_topic': {
      // What would count (a new device, a new boot) if the topic were taken at its word.
      const stray = { site: 'fr-paris', tech: 'wifi', class: 'camera' };
      const id = badTopicId(r, fleet);
      if (r.chance(0.2)) {
        const items = [{ type: 'meta', device: `stray-${r.int(0, 99)}`, ...stray }];
        return {
          topic: `gateways/${id}/batch`,
          payload: Buffer.from(json(items)),
          outcomes: ['unknown_topic'],
        };
      }
      const kind = r.pick(KINDS);
      const text =
        kind === 'meta' ? json(stray) : kind === 'status' ? 'online' : tempting(r, fleet);
      return {
        topic: `devices/${id}/${kind}`,
        payload: Buffer.from(text),
        outcomes: ['unknown_topic'],
      };
    }
    default: {
      // A gateway batch of bad records of every kind, now and then with a good one among them.
      const recs = Array.from({ length: r.int(1, 6) }, (_, i) => {
        const roll = r.int(0, i === 0 ? 15 : 19);
        if (roll < 9) return invalidRecord(r, fleet, false, 200);
        if (roll < 16)
          return droppedRecord(
            r,
            fleet,
            r.pick(['unknown_device', 'too_late', 'future'] as const),
            LATENESS_MS,
          );
        return fleet.good(Date.now());
      });
      return batch(gateway, recs, r.chance(0.2));
    }
  }
}

describe.skipIf(!brokerUrl)(`MQTT ingest fuzz (seed ${SEED}; FUZZ_SEED=${SEED} replays it)`, () => {
  let server: RunningServer;
  let client: MqttClient;
  beforeAll(async () => {
    server = await startServer({
      MQTT_URL: brokerUrl!,
      MQTT_TOPIC_PREFIX: PREFIX,
      MQTT_CLIENT_ID: CLIENT_ID,
      TICK_MS: '1000',
      TICK_GRACE_MS: '50',
      LATENESS: '1h',
      MAX_MESSAGE_BYTES: String(MAX_BYTES),
    });
    await waitFor(() => server.mqtt!.status().subscribed, 10_000, 'Meridian to subscribe');
    client = await mqtt.connectAsync(brokerUrl!, {
      clientId: `fuzz-pub-${run}`,
      reconnectPeriod: 0,
    });
  });
  afterEach(() => closeSockets());
  afterAll(async () => {
    await client?.endAsync(true);
    await server?.close();
    // Drop the persistent session Meridian left on the shared broker.
    if (brokerUrl) {
      const c = await mqtt.connectAsync(brokerUrl, {
        clientId: CLIENT_ID,
        clean: true,
        reconnectPeriod: 0,
      });
      await c.endAsync();
    }
  });

  const handled = (c: ReturnType<typeof counted>) =>
    c.accepted + Object.values(c.drops).reduce((s, n) => s + n, 0);
  const publish = (msgs: Msg[]) =>
    Promise.all(
      msgs.map((m) => client.publishAsync(`${PREFIX}/${m.topic}`, m.payload, { qos: 1 })),
    );

  it('counts every bad message under its reason, goes on, and loses no good record', async () => {
    const r = new Rand(SEED);
    const fleet = new Fleet(r, DEVICES);
    const t0 = Date.now();
    const half = DEVICES.length / 2;
    await publish([
      ...fleet.devices.slice(0, half).map((d) => onTopic(fleet.meta(d))),
      batch(
        'gw-setup',
        fleet.devices.slice(half).map((d) => fleet.meta(d)),
        false,
      ),
    ]);
    await waitFor(
      () => server.ingest!.stats.accepted.mqtt === DEVICES.length,
      10_000,
      'the metadata',
    );
    await publish(fleet.devices.map((d) => onTopic(fleet.report(d, Date.now()))));
    await waitFor(
      () => server.ingest!.stats.accepted.mqtt === 2 * DEVICES.length,
      10_000,
      'the baselines',
    );
    const before = counted(server, 'mqtt');
    expect(before.drops).toEqual(expected(new Tally()).drops);

    const plan = r.deal({
      invalid: 1300,
      unknown_device: 600,
      too_late: 500,
      future: 500,
      malformed: 1200,
      malformed_batch: 250,
      empty_batch: 50,
      oversized: 400,
      unknown_topic: 500,
      batch: 700,
      good: 700,
    });
    const tally = new Tally();
    let badMessages = 0;
    let previous = 0;
    for (let i = 0; i < plan.length; i += WINDOW) {
      const msgs = plan.slice(i, i + WINDOW).map((category) => message(r, fleet, category));
      for (const m of msgs) {
        for (const o of m.outcomes) tally.add(o);
        if (m.outcomes.some((o) => o !== 'accepted' && o !== 'duplicate')) badMessages++;
      }
      await publish(msgs);
      await settle(
        () => handled(since(before, counted(server, 'mqtt'))),
        (n) => n >= previous,
        5000,
      );
      previous = tally.handled;
    }

    // QoS 1 is acknowledged by the broker, not by Meridian: wait until it has handled it all,
    // then a little longer, so that anything counted twice shows too.
    const want = expected(tally);
    await settle(
      () => handled(since(before, counted(server, 'mqtt'))),
      (n) => n >= tally.handled,
      15_000,
    );
    await new Promise((done) => setTimeout(done, 300));
    const got = since(before, counted(server, 'mqtt'));
    console.log(
      `MQTT fuzz (seed ${SEED}):`,
      JSON.stringify({ ...want, badMessages, badRecords: tally.dropped }),
    );
    expect(badMessages).toBeGreaterThanOrEqual(6000);
    expect(got, `seed ${SEED}`).toEqual(want);
    expect(counted(server, 'http').drops).toEqual(expected(new Tally()).drops);
    expect(await rejectedMetric(server, 'mqtt')).toEqual(counted(server, 'mqtt').drops);

    await expectFleetLanded(server, fleet, t0);
    // Still up and still subscribed, over the network.
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      ingest: { devices: DEVICES.length, mqtt: { connected: true, subscribed: true } },
    });
  }, 60_000);
});
