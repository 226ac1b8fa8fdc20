import { describe, expect, it } from 'vitest';
import { csvField, isoInZone, validTimeZone } from './device-csv.ts';

describe('device CSV', () => {
  it('quotes fields with commas, quotes or line breaks, and leaves others alone', () => {
    expect(csvField('Paris')).toBe('Paris');
    expect(csvField('Washington, D.C.')).toBe('"Washington, D.C."');
    expect(csvField('the "hub"')).toBe('"the ""hub"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField(null)).toBe('');
    expect(csvField(12.5)).toBe('12.5');
  });

  it('writes times in the chosen zone with its offset', () => {
    const t = Date.UTC(2026, 6, 1, 12, 0, 5);
    expect(isoInZone('UTC')(t)).toBe('2026-07-01T12:00:05Z');
    expect(isoInZone('Europe/Paris')(t)).toBe('2026-07-01T14:00:05+02:00');
    expect(isoInZone('Asia/Kolkata')(t)).toBe('2026-07-01T17:30:05+05:30');
    expect(validTimeZone('America/New_York')).toBe(true);
    expect(validTimeZone('Mars/Olympus')).toBe(false);
  });
});
