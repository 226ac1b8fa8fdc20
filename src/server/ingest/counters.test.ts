import { describe, expect, it } from 'vitest';
import { countReport, type CounterState } from './counters.ts';
import { spreadOver, MAX_PIECES } from './spread.ts';

const report = (boot: string, ts: number, bytesIn: number, msgs = 1, bytesOut = 0) => ({
  boot,
  ts,
  msgs,
  bytesIn,
  bytesOut,
});

function run(reports: ReturnType<typeof report>[]) {
  let state: CounterState | null = null;
  let bytes = 0;
  const kinds: string[] = [];
  for (const r of reports) {
    const o = countReport(state, r);
    kinds.push(o.kind);
    if (o.kind !== 'duplicate') state = o.state;
    if (o.kind === 'delta') bytes += o.bytesIn;
  }
  return { bytes, kinds };
}

describe('running counters', () => {
  it('counts the increase since the previous report, from the first report on', () => {
    expect(run([report('a', 1000, 100), report('a', 2000, 250), report('a', 3000, 400)])).toEqual({
      bytes: 300,
      kinds: ['baseline', 'delta', 'delta'],
    });
  });

  it('never counts a redelivered or older report twice', () => {
    const r = [report('a', 1000, 100), report('a', 2000, 250), report('a', 2000, 250)];
    r.push(report('a', 1500, 180), report('a', 3000, 400));
    expect(run(r)).toEqual({
      bytes: 300,
      kinds: ['baseline', 'delta', 'duplicate', 'duplicate', 'delta'],
    });
  });

  it('treats a new boot or a counter that went down as a reset from zero', () => {
    const r = [report('a', 1000, 100), report('a', 2000, 900), report('b', 3000, 50)];
    r.push(report('b', 4000, 20)); // went down without a new boot id
    expect(run(r).bytes).toBe(800 + 50 + 20);
  });

  it('ignores a straggler of the previous boot after a reboot', () => {
    const r = [report('a', 1000, 100), report('b', 3000, 50), report('a', 2000, 180)];
    r.push(report('b', 4000, 70));
    expect(run(r)).toEqual({ bytes: 50 + 20, kinds: ['baseline', 'delta', 'duplicate', 'delta'] });
  });
});

describe('spreading a report over its seconds', () => {
  function pieces(from: number, to: number) {
    const out: [number, number][] = [];
    spreadOver(from, to, (t, share) => out.push([t, share]));
    return out;
  }

  it('lands evenly in every second after the previous report up to this one', () => {
    expect(pieces(10_500, 15_200)).toEqual([
      [11_000, 0.2],
      [12_000, 0.2],
      [13_000, 0.2],
      [14_000, 0.2],
      [15_000, 0.2],
    ]);
  });

  it('puts a report within the same second as the previous one in its own second', () => {
    expect(pieces(10_100, 10_900)).toEqual([[10_900, 1]]);
  });

  it('cuts a long gap into a bounded number of pieces that still sum to the whole', () => {
    const p = pieces(0, 86_400_000);
    expect(p.length).toBe(MAX_PIECES);
    expect(p.reduce((s, [, share]) => s + share, 0)).toBeCloseTo(1, 12);
    expect(p[1]![0] - p[0]![0]).toBe(24_000);
  });
});
