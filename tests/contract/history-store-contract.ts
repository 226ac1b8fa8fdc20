// The behaviour every HistoryStore engine promises, as vitest blocks an engine's test file
// registers with a way to open a fresh, empty store (SQLite now, PostgreSQL later).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  TIER_SECONDS,
  TIERS,
  type HistoryStore,
  type RollupBatch,
} from '../../src/server/storage/store.ts';
import { T0, buckets, late, rollup, scaled, seven } from './rows.ts';

export type OpenStore = () => Promise<{ store: HistoryStore; cleanup: () => Promise<void> }>;

const NAN = seven(() => Number.NaN);
const MIN = 60;

export function describeHistoryStoreContract(name: string, open: OpenStore): void {
  describe(`HistoryStore contract: ${name}`, () => {
    let store: HistoryStore;
    let cleanup: () => Promise<void>;
    let a: number;
    let b: number;

    beforeEach(async () => {
      ({ store, cleanup } = await open());
      [a, b] = store.seriesIds(['region:europe|tech:nb-iot', 'region:europe|tech:lte-m']) as [
        number,
        number,
      ];
    });
    afterEach(() => cleanup());

    const write = (...rollups: RollupBatch[]) => store.write({ rollups, coverage: [] });
    const cover = (...spans: [number, number][]) =>
      store.write({ rollups: [], coverage: spans.map(([f, t]) => ({ from: T0 + f, to: T0 + t })) });
    const covered = (from: number, to: number) =>
      store.coverage(T0 + from, T0 + to).map((c) => [c.from - T0, c.to - T0]);

    describe('series ids', () => {
      it('gives distinct ids that stay the same on later calls', () => {
        expect(a).not.toBe(b);
        const [c, a2, b2, c2] = store.seriesIds([
          'country:FR',
          'region:europe|tech:nb-iot',
          'region:europe|tech:lte-m',
          'country:FR',
        ]);
        expect([a2, b2]).toEqual([a, b]);
        expect(c2).toBe(c);
        expect(new Set([a, b, c]).size).toBe(3);
        for (const id of [a, b, c]) expect(Number.isSafeInteger(id)).toBe(true);
        expect(store.seriesIds([])).toEqual([]);
      });
    });

    describe('write and read', () => {
      for (const tier of TIERS) {
        it(`returns a ${tier} bucket exactly as written`, () => {
          const len = TIER_SECONDS[tier];
          const sums = [1200, 1100, 60, 40, 370, 42_000_000, 1_300_000];
          if (tier === 'sec') {
            // One second: min and max are the value itself whatever the row says.
            write(rollup('sec', T0 + 2, [[a, { n: 1, sums }]]));
            expect(buckets(store.read('sec', [a], T0, T0 + 4, 1))).toEqual([
              { bucket: 2, n: 1, sums, min: sums, max: sums },
            ]);
            return;
          }
          const min = [1190, 1080, 50, 30, 2, 20_000, 5_000];
          const max = [1210, 1150, 70, 45, 11, 1_900_000, 40_000];
          write(rollup(tier, T0 + 2 * len, [[a, { n: len, sums, min, max }]]));
          expect(buckets(store.read(tier, [a], T0, T0 + 4 * len, len))).toEqual([
            { bucket: 2, n: len, sums, min, max },
          ]);
        });
      }

      it('merges writes into one bucket: n and sums add, min and max widen', () => {
        const first = { n: 30, sums: scaled(300), min: scaled(8), max: scaled(12) };
        const second = { n: 20, sums: scaled(260), min: scaled(9), max: scaled(15) };
        write(rollup('min', T0, [[a, first]]));
        store.write({
          rollups: [
            rollup('min', T0, [[a, second]]),
            rollup('min', T0, [[a, { ...second, min: scaled(7) }]]),
          ],
          coverage: [],
        });
        expect(buckets(store.read('min', [a], T0, T0 + MIN, MIN))).toEqual([
          { bucket: 0, n: 70, sums: scaled(820), min: scaled(7), max: scaled(15) },
        ]);
      });

      it('adds late traffic (n = 0) to the sums only, before or after the bucket has data', () => {
        const full = { n: 60, sums: scaled(600), min: scaled(9), max: scaled(11) };
        write(rollup('min', T0, [[a, full]]), rollup('min', T0 + MIN, [[a, late(scaled(5))]]));
        write(rollup('min', T0, [[a, late(scaled(5))]]), rollup('min', T0 + MIN, [[a, full]]));
        const merged = { n: 60, sums: scaled(605), min: scaled(9), max: scaled(11) };
        expect(buckets(store.read('min', [a], T0, T0 + 2 * MIN, MIN))).toEqual([
          { bucket: 0, ...merged },
          { bucket: 1, ...merged },
        ]);
      });

      it('reads min and max as NaN where a bucket only ever got late traffic', () => {
        write(rollup('min', T0, [[a, late(scaled(5))]]), rollup('sec', T0, [[a, late(scaled(2))]]));
        write(rollup('min', T0, [[a, late(scaled(1))]]));
        expect(buckets(store.read('min', [a], T0, T0 + MIN, MIN))).toEqual([
          { bucket: 0, n: 0, sums: scaled(6), min: NAN, max: NAN },
        ]);
        expect(buckets(store.read('sec', [a], T0, T0 + 1, 1))).toEqual([
          { bucket: 0, n: 0, sums: scaled(2), min: NAN, max: NAN },
        ]);
      });

      it('adds late traffic to a second already written, which then reads as its new total', () => {
        write(rollup('sec', T0, [[a, { n: 1, sums: scaled(10) }]]));
        write(rollup('sec', T0, [[a, late(scaled(1))]]));
        expect(buckets(store.read('sec', [a], T0, T0 + 1, 1))).toEqual([
          { bucket: 0, n: 1, sums: scaled(11), min: scaled(11), max: scaled(11) },
        ]);
      });

      it('reads a second written twice as its mean', () => {
        write(rollup('sec', T0, [[a, { n: 1, sums: scaled(10) }]]));
        write(rollup('sec', T0, [[a, { n: 1, sums: scaled(20) }]]));
        expect(buckets(store.read('sec', [a], T0, T0 + 1, 1))).toEqual([
          { bucket: 0, n: 2, sums: scaled(30), min: scaled(15), max: scaled(15) },
        ]);
      });

      it('groups rows into buckets of `step` seconds counted from `from`', () => {
        for (let i = 0; i < 6; i++) {
          write(
            rollup('min', T0 + i * MIN, [
              [a, { n: 60, sums: scaled(60 * (i + 1)), min: scaled(i), max: scaled(i + 2) }],
            ]),
          );
        }
        expect(buckets(store.read('min', [a], T0 + MIN, T0 + 5 * MIN, 2 * MIN))).toEqual([
          { bucket: 0, n: 120, sums: scaled(60 * (2 + 3)), min: scaled(1), max: scaled(4) },
          { bucket: 1, n: 120, sums: scaled(60 * (4 + 5)), min: scaled(3), max: scaled(6) },
        ]);
      });

      it('leaves out buckets without rows and rows outside [from, to)', () => {
        const row = { n: 60, sums: scaled(60), min: scaled(1), max: scaled(1) };
        for (const i of [-1, 0, 5, 10]) write(rollup('min', T0 + i * MIN, [[a, row]]));
        expect(store.read('min', [a], T0, T0 + 10 * MIN, MIN).bucket).toEqual([0, 5]);
        expect(store.read('min', [a], T0, T0 + 10 * MIN, 5 * MIN).bucket).toEqual([0, 1]);
        expect(store.read('min', [a], T0 + MIN, T0 + 5 * MIN, MIN).bucket).toEqual([]);
        expect(store.read('min', [b], T0, T0 + 10 * MIN, MIN).bucket).toEqual([]);
        expect(store.read('min', [], T0, T0 + 10 * MIN, MIN).bucket).toEqual([]);
      });

      it('sums several series per bucket, n included', () => {
        const [c] = store.seriesIds(['region:europe|tech:lora']) as [number];
        write(
          rollup('min', T0, [
            [a, { n: 60, sums: scaled(600), min: scaled(9), max: scaled(11) }],
            [b, { n: 30, sums: scaled(150), min: scaled(4), max: scaled(6) }],
            [c, { n: 60, sums: scaled(999), min: scaled(1), max: scaled(99) }],
          ]),
          rollup('min', T0 + MIN, [
            [b, { n: 60, sums: scaled(120), min: scaled(1), max: scaled(3) }],
          ]),
        );
        expect(buckets(store.read('min', [a, b], T0, T0 + 2 * MIN, 2 * MIN))).toMatchObject([
          { bucket: 0, n: 150, sums: scaled(870) },
        ]);
        // A series named twice counts once.
        expect(buckets(store.read('min', [a, b, a], T0, T0 + MIN, MIN))).toMatchObject([
          { bucket: 0, n: 90, sums: scaled(750) },
        ]);
      });

      it('adds up each series over a range on its own, leaving out series without rows', () => {
        const [c] = store.seriesIds(['region:europe|tech:lora']) as [number];
        write(
          rollup('hour', T0 - 3600, [[a, { n: 3600, sums: scaled(1) }]]),
          rollup('hour', T0, [
            [a, { n: 3600, sums: scaled(10) }],
            [b, { n: 1800, sums: scaled(5) }],
          ]),
          rollup('hour', T0 + 3600, [
            [a, { n: 0, sums: scaled(7) }],
            [b, { n: 3600, sums: scaled(2) }],
          ]),
          rollup('hour', T0 + 7200, [[b, { n: 3600, sums: scaled(100) }]]),
        );
        const t = store.readTotals('hour', [b, c, a, a], T0, T0 + 7200);
        const ids = [a, b].sort((x, y) => x - y);
        expect(t.series).toEqual(ids);
        const at = (id: number) => t.series.indexOf(id);
        // a: its hour at T0 and the late traffic after it; not the hour before the range.
        expect(t.n[at(a)]).toBe(3600);
        expect(t.sums.map((m) => m[at(a)])).toEqual(scaled(17));
        // b: two hours, not the one after the range.
        expect(t.n[at(b)]).toBe(5400);
        expect(t.sums.map((m) => m[at(b)])).toEqual(scaled(7));
        expect(store.readTotals('hour', [], T0, T0 + 7200).series).toEqual([]);
      });

      it("bounds a sum's min and max by the sums of the series' min and max at each time", () => {
        // Seconds: a = 10, 20 and b = 5, 1, so a + b = 15, 21: min 15, max 21 (not 1 and 20).
        write(
          rollup('sec', T0, [
            [a, { n: 1, sums: scaled(10) }],
            [b, { n: 1, sums: scaled(5) }],
          ]),
          rollup('sec', T0 + 1, [
            [a, { n: 1, sums: scaled(20) }],
            [b, { n: 1, sums: scaled(1) }],
          ]),
        );
        expect(buckets(store.read('sec', [a, b], T0, T0 + 2, 2))).toEqual([
          { bucket: 0, n: 4, sums: scaled(36), min: scaled(15), max: scaled(21) },
        ]);
        write(
          rollup('min', T0, [
            [a, { n: 60, sums: scaled(600), min: scaled(9), max: scaled(11) }],
            [b, { n: 60, sums: scaled(60), min: scaled(0), max: scaled(2) }],
          ]),
          rollup('min', T0 + MIN, [
            [a, { n: 60, sums: scaled(300), min: scaled(4), max: scaled(6) }],
            [b, { n: 60, sums: scaled(180), min: scaled(2), max: scaled(4) }],
          ]),
        );
        expect(buckets(store.read('min', [a, b], T0, T0 + 2 * MIN, 2 * MIN))).toEqual([
          { bucket: 0, n: 240, sums: scaled(1140), min: scaled(6), max: scaled(13) },
        ]);
      });

      it('round-trips values beyond 2^32 exactly', () => {
        const big = 39_100_000_123;
        const row = {
          n: 60,
          sums: seven(() => big),
          min: seven(() => big - 1),
          max: seven(() => big + 1),
        };
        write(
          rollup('min', T0, [
            [a, row],
            [b, row],
          ]),
          rollup('sec', T0, [[a, { n: 1, sums: seven(() => big) }]]),
        );
        write(rollup('min', T0, [[a, row]]));
        expect(buckets(store.read('min', [a], T0, T0 + MIN, MIN))).toEqual([
          { bucket: 0, n: 120, sums: seven(() => 2 * big), min: row.min, max: row.max },
        ]);
        expect(buckets(store.read('min', [a, b], T0, T0 + MIN, MIN))[0]?.sums).toEqual(
          seven(() => 3 * big),
        );
        expect(buckets(store.read('sec', [a], T0, T0 + 1, 1))[0]?.sums).toEqual(seven(() => big));
      });

      it('adds values beyond int64 without failing (as floating point)', () => {
        const huge = 2 ** 62;
        const row = {
          n: 60,
          sums: seven(() => huge),
          min: seven(() => huge),
          max: seven(() => huge),
        };
        for (let i = 0; i < 3; i++)
          write(
            rollup('min', T0, [
              [a, row],
              [b, row],
            ]),
          );
        expect(buckets(store.read('min', [a], T0, T0 + MIN, MIN))[0]?.sums).toEqual(
          seven(() => 3 * huge),
        );
        expect(buckets(store.read('min', [a, b], T0, T0 + MIN, MIN))).toEqual([
          {
            bucket: 0,
            n: 360,
            sums: seven(() => 6 * huge),
            min: seven(() => 2 * huge),
            max: seven(() => 2 * huge),
          },
        ]);
      });
    });

    describe('atomic writes', () => {
      const good = { n: 60, sums: scaled(60), min: scaled(1), max: scaled(1) };

      it('rejects a bad batch with a clear error and changes nothing', () => {
        write(rollup('min', T0, [[a, good]]));
        const before = store.read('min', [a, b], T0, T0 + 2 * MIN, MIN);
        const short: RollupBatch = { ...rollup('min', T0, [[b, good]]), rows: new Float64Array(3) };
        const nan = rollup('min', T0, [[b, { ...good, sums: seven(() => Number.NaN) }]]);
        const unaligned = rollup('min', T0 + 30, [[b, good]]);
        for (const [bad, message] of [
          [short, /rows/],
          [nan, /NaN/],
          [unaligned, /multiple/],
        ] as const) {
          expect(() =>
            store.write({
              rollups: [rollup('min', T0, [[a, good]]), rollup('min', T0 + MIN, [[b, good]]), bad],
              coverage: [{ from: T0, to: T0 + 2 * MIN }],
            }),
          ).toThrow(message);
        }
        expect(store.read('min', [a, b], T0, T0 + 2 * MIN, MIN)).toEqual(before);
        expect(store.extent('min', b)).toBeNull();
        expect(store.coverage(T0 - 1000, T0 + 1000)).toEqual([]);
      });
    });

    describe('coverage', () => {
      it('merges adjacent and overlapping intervals into disjoint ones', () => {
        cover([0, 10], [10, 20]);
        expect(covered(-100, 100)).toEqual([[0, 20]]);
        cover([15, 30], [40, 50], [5, 6], [60, 60]);
        expect(covered(-100, 100)).toEqual([
          [0, 30],
          [40, 50],
        ]);
        cover([70, 80], [25, 45]);
        expect(covered(-100, 100)).toEqual([
          [0, 50],
          [70, 80],
        ]);
      });

      it('returns the whole intervals that overlap [from, to), ascending', () => {
        cover([40, 50], [0, 10], [20, 30]);
        expect(covered(10, 20)).toEqual([]);
        expect(covered(9, 21)).toEqual([
          [0, 10],
          [20, 30],
        ]);
        expect(covered(25, 1000)).toEqual([
          [20, 30],
          [40, 50],
        ]);
      });

      it('pruneCoverage drops the intervals that end by `before`', () => {
        cover([0, 10], [20, 35], [40, 50]);
        store.pruneCoverage(T0 + 30);
        expect(covered(-100, 100)).toEqual([
          [20, 35],
          [40, 50],
        ]);
        store.pruneCoverage(T0 + 35);
        expect(covered(-100, 100)).toEqual([[40, 50]]);
      });
    });

    describe('prune and extent', () => {
      beforeEach(() => {
        const row = { n: 60, sums: scaled(60), min: scaled(1), max: scaled(1) };
        for (let i = 0; i < 10; i++)
          write(
            rollup('min', T0 + i * MIN, [
              [a, row],
              [b, row],
            ]),
          );
        write(rollup('hour', T0, [[a, { ...row, n: 3600 }]]));
      });

      it('reports the first and last bucket of a tier and series', () => {
        expect(store.extent('min', a)).toEqual({ first: T0, last: T0 + 9 * MIN });
        expect(store.extent('hour', a)).toEqual({ first: T0, last: T0 });
        expect(store.extent('hour', b)).toBeNull();
        expect(store.extent('day', a)).toBeNull();
      });

      it('deletes only older rows of the given series and tier', () => {
        expect(store.prune('min', [a], T0 + 5 * MIN, 100)).toBe(5);
        expect(store.extent('min', a)).toEqual({ first: T0 + 5 * MIN, last: T0 + 9 * MIN });
        expect(store.extent('min', b)).toEqual({ first: T0, last: T0 + 9 * MIN });
        expect(store.extent('hour', a)).toEqual({ first: T0, last: T0 });
        expect(store.read('min', [a], T0, T0 + 10 * MIN, MIN).bucket).toEqual([5, 6, 7, 8, 9]);
      });

      it('deletes at most maxRows per call until nothing older is left', () => {
        const counts: number[] = [];
        for (let call = 0; call < 10; call++)
          counts.push(store.prune('min', null, T0 + 5 * MIN, 3));
        expect(counts).toEqual([3, 3, 3, 1, 0, 0, 0, 0, 0, 0]);
        expect(store.read('min', [a, b], T0, T0 + 10 * MIN, 10 * MIN).n).toEqual([600]);
        expect(store.extent('min', b)).toEqual({ first: T0 + 5 * MIN, last: T0 + 9 * MIN });
      });
    });

    describe('disk', () => {
      it('reports a size that grows with the data, and keeps data over a checkpoint', () => {
        store.checkpoint();
        const empty = store.sizeBytes();
        const row = { n: 60, sums: scaled(6000), min: scaled(90), max: scaled(110) };
        const ids = store.seriesIds(Array.from({ length: 100 }, (_, i) => `country:${i}`));
        for (let i = 0; i < 60; i++)
          write(
            rollup(
              'min',
              T0 + i * MIN,
              ids.map((id) => [id, row]),
            ),
          );
        store.checkpoint();
        expect(store.sizeBytes()).toBeGreaterThan(empty + 100 * 60 * 20);
        expect(store.read('min', ids, T0, T0 + 60 * MIN, 60 * MIN).n).toEqual([100 * 60 * 60]);
      });
    });
  });
}
