import { describe, expect, it } from 'vitest';
import { formatAge, formatClock } from './time.ts';

const nb = (text: string): string => text.replace(/ /g, '\u00a0');

describe('formatClock', () => {
  const t = Date.UTC(2026, 0, 5, 13, 2, 7);
  it('shows 24-hour time with the time zone', () => {
    expect(formatClock(t, 'en-GB', 'UTC')).toBe('13:02:07 UTC');
    expect(formatClock(t, 'en-GB', 'Europe/Berlin')).toBe('14:02:07 CET');
  });
});

describe('formatAge', () => {
  it.each([
    [0, '0 s'],
    [999, '0 s'],
    [42_300, '42 s'],
    [180_000, '3 min'],
    [2 * 3_600_000 + 5 * 60_000, '2 h 05 min'],
    [3 * 86_400_000 + 4 * 3_600_000, '3 d 4 h'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatAge(ms)).toBe(nb(text));
  });

  it('treats a negative age (clock adjusted) as zero', () => {
    expect(formatAge(-5_000)).toBe(nb('0 s'));
  });
});
