import { describe, expect, it } from 'vitest';
import { chartCsv } from './chart-csv.ts';

describe('chart CSV', () => {
  it('writes one row per bucket with data, with what it is in # lines', () => {
    const p = (t: number, weight: number) => ({
      t,
      devices: 10,
      online: weight ? 9 : null,
      degraded: 1,
      msgRate: 2.5,
      bytesInRate: 1000,
      bytesOutRate: 10,
      weight,
    });
    const csv = chartCsv(
      { stepMs: 60_000, windowMs: 180_000, points: [p(0, 60), p(60_000, 0), p(120_000, 60)] },
      { scope: 'World (global)', filters: 'tech=lorawan', range: 'Last hour', timeZone: 'UTC' },
    );
    const lines = csv.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('#'))).toContain('# filters: tech=lorawan');
    expect(lines).toContain('# time zone: UTC');
    const rows = lines.filter((l) => !l.startsWith('#')).slice(1);
    expect(rows).toHaveLength(2); // the bucket without data is left out
    expect(rows[0]).toMatch(/^"Jan 1, 1970, 00:00:00 UTC",10,9,1,2\.5,1000,10$/);
  });
});
