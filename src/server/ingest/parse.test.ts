import { describe, expect, it } from 'vitest';
import { parseJson } from './parse.ts';

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p as never))));

describe('parseJson', () => {
  it('refuses bytes that are not UTF-8 instead of decoding them with U+FFFD', () => {
    // Inside a string, where a lenient decoder would let them through as U+FFFD.
    const site = (bad: number[]) => bytes('{"site":"fr-par', bad, 'is","tech":"wifi"}');
    const sequences = [
      [0xff], // never in UTF-8
      [0xe9], // Latin-1 é
      [0xc0, 0xaf], // overlong '/'
      [0xed, 0xa0, 0x80], // a UTF-16 surrogate, encoded
      [0xe2, 0x82], // truncated
      [0x80], // a continuation byte alone
      [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
    ];
    for (const bad of sequences) {
      expect(parseJson(site(bad)), `bytes ${bad.join(' ')}`).toEqual({
        ok: false,
        message: expect.stringContaining('not UTF-8'),
      });
    }
    // Truncated at the very end of the payload.
    expect(parseJson(bytes('{"boot":"a"}', [0xe2, 0x82])).ok).toBe(false);
  });

  it('takes UTF-8 of every length, in a view into a larger buffer too', () => {
    const text = '{"site":"Zürich – 设备 😀","boot":"\uFFFD"}';
    expect(parseJson(bytes(text))).toEqual({ ok: true, value: JSON.parse(text) });
    // MQTT.js hands over payloads that are views into its receive buffer.
    const big = bytes([0xff, 0xff], text, [0xff]);
    const view = new Uint8Array(big.buffer, big.byteOffset + 2, Buffer.byteLength(text));
    expect(parseJson(big).ok).toBe(false);
    expect(parseJson(view)).toEqual({ ok: true, value: JSON.parse(text) });
  });

  it('still says why other bytes are not JSON', () => {
    expect(parseJson(bytes('{"a":1,}'))).toEqual({
      ok: false,
      message: expect.stringMatching(/^not JSON: /),
    });
    expect(parseJson(bytes('{"a":1,}'))).not.toEqual({
      ok: false,
      message: expect.stringContaining('UTF-8'),
    });
  });
});
