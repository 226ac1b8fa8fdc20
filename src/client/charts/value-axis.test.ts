import { describe, expect, it } from 'vitest';
import { tickCountFor, valueAxis, valueTicks } from './value-axis.ts';

describe('valueTicks', () => {
  it('covers the data with round steps of 1, 2, 2.5 or 5 × 10ⁿ', () => {
    expect(valueTicks(92_300, 99_400)).toEqual([90_000, 92_500, 95_000, 97_500, 100_000]);
    expect(valueTicks(0, 3.3e8)).toEqual([0, 2e8, 4e8]);
    expect(valueTicks(0.1, 0.7)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
  });

  it('gives a flat series a span around it, and counts a step of at least one', () => {
    expect(valueTicks(5, 5)).toEqual([4.95, 5, 5.05]);
    expect(valueTicks(0, 0)).toEqual([0, 0.5, 1]);
    expect(valueTicks(0, 0, 4, 1)).toEqual([0, 1]);
    expect(valueTicks(329, 336, 4, 1)).toEqual([325, 330, 335, 340]);
    expect(valueTicks(329, 334, 4, 1)).toEqual([328, 330, 332, 334]);
  });
});

describe('valueAxis', () => {
  it('labels every tick in one unit with the decimals its spacing needs, and is as wide as the widest', () => {
    const axis = valueAxis(92_300, 99_400, 'count', false, 12);
    expect(axis.domain).toEqual([90_000, 100_000]);
    // A no-break space joins the figure and its unit.
    expect(axis.labels.map((l) => l.replace(/\u00a0/g, ' '))).toEqual([
      '90 k',
      '92.5 k',
      '95 k',
      '97.5 k',
      '100 k',
    ]);
    const narrow = valueAxis(1, 9, 'count', false, 12);
    expect(narrow.labels).toEqual(['0', '5', '10']);
    expect(axis.width).toBeGreaterThan(narrow.width);
    // Larger type, a wider axis.
    expect(valueAxis(92_300, 99_400, 'count', false, 24).width).toBeGreaterThan(axis.width);
  });

  it('starts a rate axis at zero, in bits when asked', () => {
    const axis = valueAxis(2.9e8, 3.3e8, 'bits', true, 12);
    expect(axis.domain[0]).toBe(0);
    expect(axis.labels.map((l) => l.replace(/\u00a0/g, ' '))).toEqual([
      '0 Gb/s',
      '1 Gb/s',
      '2 Gb/s',
      '3 Gb/s',
    ]);
  });
});

describe('tickCountFor', () => {
  it('gives a short plot fewer ticks, so that labels never sit on each other', () => {
    expect(tickCountFor(160, 13)).toBe(4);
    expect(tickCountFor(70, 13)).toBe(2);
    expect(tickCountFor(20, 13)).toBe(2);
    const short = valueAxis(4_600, 5_000, 'count', false, 13, tickCountFor(48, 13));
    expect(short.ticks.length).toBeLessThanOrEqual(3);
  });
});
