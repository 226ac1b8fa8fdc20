// Bad ingest input, each piece tagged with the reason the server must count it under.
import { type Fleet, type Kind, type Rand, type Rec, json, raw } from './ingest-fuzz.ts';

const DAY = 86_400_000;
const words = (text: string) => text.split(' ');

const BAD_VALUES = [true, null, {}, []];
const BAD_TS = [
  ...BAD_VALUES,
  ...words('x NaN Infinity -Infinity null undefined now 1e3 0x10 -5 12345678901234567'),
  ...words('2026-13-01T00:00:00Z 2026-01-01T25:00:00Z 2026-01-01T12:00:00+25:00'),
  '',
  ' ',
  -1,
  -1e12,
  raw('1e400'),
  // Numbers past the last instant a Date can hold.
  1e300,
  8.64e15 + 1,
  '9999999999999999',
];
const BAD_COUNTERS = [
  ...BAD_VALUES,
  ...words('x 100 NaN Infinity 123456789012345678901234567890'),
  -1,
  -1e9,
  1.5,
  raw('9007199254740994'),
  raw('1e400'),
  raw('9'.repeat(400)),
  raw('-0.0000001'),
];
const BAD_BOOTS = [...BAD_VALUES, '', 'b'.repeat(65), -1, 1.5, raw('9007199254740992')];
const BAD_ENUMS = [...BAD_VALUES, ...words('x carrier-pigeon LTE-M Vehicle ONLINE up'), '', 42];
const BAD_IDS = [
  ...BAD_VALUES,
  ...words('.a _a -a :a a/b a#b a+b dévice 设备 a😀 a"b a\\b'),
  ...['', ' a', 'a ', 'a b', 'a\tb', 'a'.repeat(129)],
  42,
];
export const GHOSTS = ['valueOf', 'prototype', 'hasOwnProperty', 'isPrototypeOf', '0'];

/** A balanced nest of arrays: JSON, but no record. */
export const nest = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/**
 * A record the schema refuses. `topicSafe`: still refused when its device comes from an MQTT
 * topic (so no bad device ids or types, which only a batch or HTTP record carries).
 */
export function invalidRecord(r: Rand, fleet: Fleet, topicSafe: boolean, maxNest = 300): Rec {
  const d = fleet.any();
  const device = d.id;
  const base = { device };
  const variant = r.int(0, topicSafe ? 9 : 13);
  let kind: Kind = 'telemetry';
  let body: Record<string, unknown>;
  const tele = {
    type: 'telemetry',
    ...base,
    boot: d.boot,
    ts: Date.now(),
    msgs: d.msgs + 1,
    bytesIn: d.bytesIn + 1,
  };
  switch (variant) {
    case 0: {
      kind = 'meta';
      const field = r.pick(['tech', 'class']);
      body = { type: 'meta', ...base, ...d.meta, [field]: r.pick(BAD_ENUMS) };
      if (r.chance(0.3)) delete body[field];
      break;
    }
    case 1: {
      kind = 'meta';
      const { site: _site, ...rest } = d.meta;
      const place = r.pick([
        { lat: 45.76 },
        { lon: 4.84 },
        { lat: 90.0001, lon: 0 },
        { lat: 0, lon: -180.5 },
        { lat: '45.76', lon: 4.84 },
        { lat: 45.76, lon: raw('1e400') },
        { site: '' },
        { site: 's'.repeat(129) },
        { site: r.pick(BAD_VALUES) },
      ]);
      body = { type: 'meta', ...base, ...rest, ...place };
      break;
    }
    case 2:
      kind = 'status';
      body = { type: 'status', ...base, status: r.pick(BAD_ENUMS) };
      if (r.chance(0.2)) delete body.status;
      break;
    case 3:
      kind = 'status';
      body = { type: 'status', ...base, status: 'online', ts: r.pick(BAD_TS) };
      break;
    case 4:
    case 5:
      body = { ...tele, [r.pick(['msgs', 'bytesIn', 'bytesOut'])]: r.pick(BAD_COUNTERS) };
      break;
    case 6:
      body = { ...tele, ts: r.pick(BAD_TS) };
      break;
    case 7:
      body = { ...tele, boot: r.pick(BAD_BOOTS) };
      break;
    case 8:
      body = { ...tele };
      delete body[r.pick(['boot', 'ts'])];
      break;
    case 9: {
      // Not an object at all, or an object hiding its fields where they are not looked for.
      kind = r.pick(['meta', 'status', 'telemetry'] as const);
      const text = r.pick([
        '42',
        '"online"',
        'null',
        'true',
        '[]',
        nest(r.int(1, maxNest)),
        `{"type":"meta","device":"${device}","__proto__":{"tech":"wifi","class":"camera"}}`,
        `{"type":"meta","device":"${device}","tech":"wifi","class":"camera","tech":"5g"}`,
      ]);
      if (text.startsWith('{')) kind = 'meta';
      return { kind, device, text, outcome: 'invalid' };
    }
    case 10:
    case 11:
      body = { ...tele, device: r.pick(BAD_IDS) };
      if (r.chance(0.1)) delete body.device;
      break;
    default:
      body = { ...tele, type: r.pick([...BAD_ENUMS, 'Telemetry', 'alert']) };
      if (r.chance(0.2)) delete body.type;
  }
  return { kind, device, text: json(body), outcome: 'invalid' };
}

/** A valid record the engine must drop: unknown device, or stamped outside the window. */
export function droppedRecord(
  r: Rand,
  fleet: Fleet,
  reason: 'unknown_device' | 'too_late' | 'future',
  latenessMs: number,
): Rec {
  const now = Date.now();
  const known = fleet.any();
  const device =
    reason === 'unknown_device' ? r.pick([...GHOSTS, `ghost-${r.int(0, 1e6)}`]) : known.id;
  let ts: number | string | undefined;
  if (reason === 'too_late') {
    const t = r.pick([0, 1, now - latenessMs - r.int(60_000, 30 * DAY)]);
    ts = r.chance(0.3) ? new Date(t).toISOString() : t;
  } else if (reason === 'future') {
    // The last instant a Date holds has no 4-digit-year ISO form: as a number or digits only.
    const t = r.pick([8.64e15, now + r.int(60_000, 100 * 365 * DAY)]);
    const iso = t < 1e14 && r.chance(0.3);
    ts = iso ? new Date(t).toISOString() : r.chance(0.2) ? String(t) : t;
  } else {
    // Whatever its time, an undescribed device is unknown first.
    ts = r.pick([undefined, now, 0, now + DAY]);
  }
  if (r.chance(0.3)) {
    const text = json({
      type: 'status',
      device,
      status: r.pick(['online', 'degraded', 'offline']),
      ts,
    });
    return { kind: 'status', device, text, outcome: reason };
  }
  const body = {
    type: 'telemetry',
    device,
    boot: r.chance(0.5) ? known.boot : 'other-boot',
    ts: ts ?? now,
    msgs: known.msgs + r.int(1, 100),
    bytesIn: known.bytesIn + r.int(1, 1e6),
  };
  return { kind: 'telemetry', device, text: json(body), outcome: reason };
}

const JUNK_START = [...'#%&<>@\\^`|~!?*=;)]}', '\u0001', '\u007f'].map((c) => c.charCodeAt(0));
const BAD_UTF8 = [
  [0xff],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xe2, 0x82],
  [0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
];
const BAD_NUMBERS = [
  ...words('01 1. .5 +1 1e 1e+ 0x10 1_000 --1 NaN Infinity -Infinity'),
  `${'9'.repeat(400)}.`,
];
const BROKEN = [
  'nul',
  'tru',
  'undefined',
  "{'a':1}",
  '{"a":1,}',
  '{a:1}',
  '{}{}',
  '[1,]',
  '"open',
  '/*c*/{}',
  '{"a" 1}',
];

/** Bytes that are not JSON, of at most `maxBytes`, without a line feed. `like`: a record's text. */
export function malformedPayload(r: Rand, like: string, maxBytes: number): Buffer {
  const text = Buffer.from(like);
  switch (r.int(0, 7)) {
    case 0:
      return text.subarray(0, r.int(1, text.length - 1));
    case 1: {
      const b = r.bytes(r.int(1, Math.min(maxBytes, r.chance(0.05) ? maxBytes : 300)));
      b[0] = r.pick(JUNK_START);
      return b;
    }
    case 2: {
      // Not UTF-8: where JSON's structure is (after an opening brace, a colon, or at the end),
      // or inside the boot id, where a lenient decoder's U+FFFD would make a new boot that counts.
      const boot = text.indexOf('"boot":"');
      const cut = r.pick([1, text.indexOf(':') + 1, text.length, boot < 0 ? 1 : boot + 8]);
      return Buffer.concat([
        text.subarray(0, cut),
        Buffer.from(r.pick(BAD_UTF8)),
        text.subarray(cut),
      ]);
    }
    case 3: {
      const bom = r.chance(0.7) ? Buffer.from('\uFEFF') : Buffer.from([0xff, 0xfe]);
      const body = r.chance(0.7) ? text : Buffer.from(like, 'utf16le');
      return Buffer.concat([bom, body]);
    }
    case 4: {
      const depth = r.int(2, Math.floor(maxBytes / 2) - 1);
      return Buffer.from(
        r.chance(0.5) ? '['.repeat(depth) : `${'['.repeat(depth)}${']'.repeat(depth - 1)}`,
      );
    }
    case 5:
      return Buffer.from(
        `{"type":"telemetry","device":"x","boot":1,"ts":1,"bytesIn":${r.pick(BAD_NUMBERS)}}`,
      );
    case 6:
      return Buffer.from(r.pick(BROKEN));
    default:
      // Trailing garbage after a complete record.
      return Buffer.concat([text, Buffer.from(r.pick([' x', ']', '}', ',', '\u0000', ' {}']))]);
  }
}

/** Telemetry that would count (a new boot, a lot of traffic) if a garbled copy got through. */
export function tempting(r: Rand, fleet: Fleet): string {
  const d = fleet.any();
  const body = {
    type: 'telemetry',
    device: d.id,
    boot: `tempting-${r.int(0, 99)}`,
    ts: Date.now(),
  };
  return json({ ...body, msgs: 1_000, bytesIn: 1_000_000, bytesOut: 1_000_000 });
}

/** Characters an MQTT topic level may hold but a device id may not. */
const TOPIC_ONLY = [...' !"$%&\'()*,;<=>?@[\\]^`{|}~é设😀'];
const ID_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-';

/** A topic level in the place of a device or gateway id that is no device id. */
export function badTopicId(r: Rand, fleet: Fleet): string {
  const known = fleet.any().id;
  const roll = r.int(0, 5);
  if (roll === 0) return r.pick(['', 'x'.repeat(r.int(129, 300)), `${known} `, ` ${known}`]);
  if (roll === 1) return `${r.pick([...'._:-'])}${known}`;
  let id = Array.from({ length: r.int(1, 30) }, () => r.pick([...ID_CHARS])).join('');
  const at = r.int(0, id.length);
  id = `${id.slice(0, at)}${r.pick(TOPIC_ONLY)}${id.slice(at)}`;
  return roll === 2 ? `${known}${r.pick(TOPIC_ONLY)}` : id;
}
