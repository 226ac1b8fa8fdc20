import { describe, expect, it } from 'vitest';
import { formatAxisTime, timeZoneLabel } from './time-zone.ts';

const T = Date.UTC(2026, 0, 15, 14, 5);

describe('axis times', () => {
  it('keeps each zone its own formatter: a second zone does not reuse the first', () => {
    expect(formatAxisTime(T, 'UTC')).toBe('14:05');
    expect(formatAxisTime(T, 'Asia/Tokyo')).toBe('23:05');
    expect(formatAxisTime(T + 60_000, 'UTC')).toBe('14:06');
    expect(timeZoneLabel('UTC', T)).toBe('UTC');
    expect(timeZoneLabel('Europe/Berlin', T)).toBe('CET');
    // Summer time: the label follows the instant, not the moment the formatter was built.
    expect(timeZoneLabel('Europe/Berlin', Date.UTC(2026, 6, 1))).toBe('CEST');
  });
});
