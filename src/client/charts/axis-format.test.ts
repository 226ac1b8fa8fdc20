import { describe, expect, it } from 'vitest';
import { joinParts } from '../format/numbers.ts';
import { axisFormatter } from './axis-format.ts';

const labels = (f: ReturnType<typeof axisFormatter>, values: number[]) =>
  values.map((v) => joinParts(f(v)));

describe('axisFormatter', () => {
  it('gives close ticks distinct labels', () => {
    const f = axisFormatter(1540, 1570, 'count');
    expect(new Set(labels(f, [1540, 1550, 1560, 1570])).size).toBe(4);
    expect(labels(f, [1550])).toEqual(['1.55\u00a0k']);
  });

  it('writes each round tick the chart picks exactly, not rounded to the estimated spacing', () => {
    // About 7 k over 4 ticks suggests whole thousands; the chart's ticks are 2,500 apart.
    const f = axisFormatter(93_000, 100_000, 'count');
    expect(labels(f, [92_500, 95_000, 97_500, 100_000])).toEqual([
      '92.5\u00a0k',
      '95\u00a0k',
      '97.5\u00a0k',
      '100\u00a0k',
    ]);
  });

  it('keeps round figures short and follows the rate unit', () => {
    expect(labels(axisFormatter(0, 75e6, 'bytes'), [0, 25e6, 75e6])).toEqual([
      '0\u00a0MB/s',
      '25\u00a0MB/s',
      '75\u00a0MB/s',
    ]);
    expect(labels(axisFormatter(0, 75e6, 'bits'), [75e6])).toEqual(['600\u00a0Mb/s']);
  });
});
