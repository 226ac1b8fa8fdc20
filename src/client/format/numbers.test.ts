import { describe, expect, it } from 'vitest';
import {
  countParts,
  formatCount,
  formatExact,
  formatExactRate,
  formatPercent,
  formatRate,
  percentParts,
  rateParts,
} from './numbers.ts';

// The formats put a no-break space between number and unit; write plain spaces in expectations.
const nb = (text: string): string => text.replace(/ /g, '\u00a0');

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [7, '7'],
    [999, '999'],
    [1_000, '1.0 k'],
    [1_049, '1.0 k'],
    [12_345, '12.3 k'],
    [20_000, '20.0 k'],
    [123_456, '123 k'],
    [999_499, '999 k'],
    [1_500_000, '1.5 M'],
    [39_123_456_789, '39.1 bn'],
    [2_500_000_000_000, '2.5 tn'],
  ])('%d → %s', (n, text) => {
    expect(formatCount(n)).toBe(nb(text));
  });

  it('moves to the next unit when rounding reaches 1000', () => {
    expect(formatCount(999.6)).toBe(nb('1.0 k'));
    expect(formatCount(999_960)).toBe(nb('1.0 M'));
    expect(formatCount(99_960)).toBe(nb('100 k'));
  });

  it('keeps one decimal for small fractional rates', () => {
    expect(formatCount(3.46)).toBe('3.5');
    expect(formatCount(0.04)).toBe('0');
    expect(formatCount(512.4)).toBe('512');
  });

  it('shows a dash for a missing figure', () => {
    expect(formatCount(Number.NaN)).toBe('—');
    expect(countParts(Number.POSITIVE_INFINITY)).toEqual({ value: '—', unit: '' });
  });

  it('splits value and unit for styling', () => {
    expect(countParts(39_123_456_789)).toEqual({ value: '39.1', unit: 'bn' });
  });
});

describe('formatRate (decimal units, 1 kB = 1000 B)', () => {
  it.each([
    [0, '0 B/s'],
    [999, '999 B/s'],
    [1_000, '1.0 kB/s'],
    [1_500_000, '1.5 MB/s'],
    [2_340_000_000, '2.3 GB/s'],
    [380_000_000_000_000, '380 TB/s'],
    [1_200_000_000_000_000, '1.2 PB/s'],
  ])('%d bytes/s → %s', (n, text) => {
    expect(formatRate(n)).toBe(nb(text));
  });

  it('shows bits per second as bytes × 8', () => {
    expect(formatRate(0, 'bits')).toBe(nb('0 b/s'));
    expect(formatRate(125, 'bits')).toBe(nb('1.0 kb/s'));
    expect(formatRate(1_500_000, 'bits')).toBe(nb('12.0 Mb/s'));
    expect(formatRate(380_000_000_000_000, 'bits')).toBe(nb('3.0 Pb/s'));
    expect(rateParts(47_500_000_000, 'bits')).toEqual({ value: '380', unit: 'Gb/s' });
  });
});

describe('formatPercent', () => {
  it.each([
    [0, 100, '0.0 %'],
    [1, 3, '33.3 %'],
    [973, 1000, '97.3 %'],
    [100, 100, '100.0 %'],
  ])('%d of %d → %s', (part, whole, text) => {
    expect(formatPercent(part, whole)).toBe(nb(text));
  });

  it('never rounds a share that is not whole to 100 % or 0 %', () => {
    expect(formatPercent(99_997, 100_000)).toBe(nb('99.9 %'));
    expect(formatPercent(1, 100_000)).toBe(nb('<0.1 %'));
  });

  it('has no percentage of nothing', () => {
    expect(percentParts(0, 0)).toEqual({ value: '—', unit: '' });
  });
});

describe('exact values for titles', () => {
  it('groups digits and keeps every one of them', () => {
    expect(formatExact(39_123_456_789)).toBe('39,123,456,789');
    expect(formatExact(0)).toBe('0');
    expect(formatExactRate(380_123_456_789_012)).toBe('380,123,456,789,012 bytes per second');
    expect(formatExactRate(1_000, 'bits')).toBe('8,000 bits per second');
  });
});
