import { describe, expect, it } from 'vitest';
import { allocSiteFigures, decodeSiteFigures, encodeSiteFigures } from './site-figures.ts';

describe('site figures encoding', () => {
  it('round-trips counts exactly, far beyond 32 bits', () => {
    const f = allocSiteFigures(4);
    const devices = [0, 127, 16_384, 39_100_000_123];
    const degraded = [0, 1, 300, 1_000_000_001];
    const offline = [0, 0, 84, 2 ** 40 + 3];
    devices.forEach((d, i) => {
      f.devices[i] = d;
      f.degraded[i] = degraded[i]!;
      f.offline[i] = offline[i]!;
      f.flowRate[i] = i * 1.5e9;
    });
    f.devices[3] = 2 ** 41;
    const back = decodeSiteFigures(encodeSiteFigures(f, 4), 4);
    expect([...back.devices]).toEqual([0, 127, 16_384, 2 ** 41]);
    expect([...back.degraded]).toEqual(degraded);
    expect([...back.offline]).toEqual(offline);
    expect(back.online[2]).toBe(16_384 - 300 - 84);
    expect(back.flowRate[3]).toBeCloseTo(4.5e9, -3);
  });

  it('takes an ArrayBuffer (browser) as well as a Uint8Array (Node)', () => {
    const f = allocSiteFigures(1);
    f.devices[0] = 42;
    const bytes = encodeSiteFigures(f, 1);
    const buffer = new ArrayBuffer(bytes.byteLength);
    new Uint8Array(buffer).set(bytes);
    expect(decodeSiteFigures(buffer, 1).devices[0]).toBe(42);
  });

  it('throws on a truncated buffer instead of inventing figures', () => {
    const f = allocSiteFigures(3);
    f.devices.fill(1000);
    const bytes = encodeSiteFigures(f, 3);
    expect(() => decodeSiteFigures(bytes.subarray(0, bytes.length - 1), 3)).toThrow(RangeError);
    expect(() => decodeSiteFigures(bytes.subarray(0, 5), 3)).toThrow(RangeError);
  });
});
