import type { LateSpan } from '../aggregate/aggregator.ts';

/**
 * Adds pieces [from, to) of a span to [msgs, bytes in, bytes out] at `o` in `acc`: one addition
 * per piece, in order, as a piece-by-piece caller would, so the sums are the same to the bit.
 */
function addPieces(acc: Float64Array, o: number, span: LateSpan, from: number, to: number): void {
  const { msgs, bytesIn, bytesOut } = span;
  let m = acc[o]!;
  let bi = acc[o + 1]!;
  let bo = acc[o + 2]!;
  for (let k = from; k < to; k++) {
    m += msgs[k]!;
    bi += bytesIn[k]!;
    bo += bytesOut[k]!;
  }
  acc[o] = m;
  acc[o + 1] = bi;
  acc[o + 2] = bo;
}

/**
 * Late traffic of one bucket of one tier: [msgs, bytes in, bytes out] summed per series, the
 * series named by their position in the tier's series list (`SeriesCatalog.tierSeries`). Where
 * a position's three sums sit in `sums` is up to the subclass.
 */
export abstract class LateSums {
  protected sums: Float64Array;
  /** Positions with sums, in the order each was first added to. */
  protected order: number[] = [];

  constructor(slots: number) {
    this.sums = new Float64Array(slots * 3);
  }

  get size(): number {
    return this.order.length;
  }

  /** Where a position's sums sit, -1 if it has none. */
  protected abstract find(position: number): number;
  /** Where a position's sums sit, made (zero) if new. */
  protected abstract place(position: number): number;

  /**
   * Adds pieces [from, to) of a span, in order, to each series of `series` the tier keeps
   * (`position`: local series → position in the tier's list, or -1).
   */
  add(
    series: readonly number[],
    position: Int32Array,
    span: LateSpan,
    from: number,
    to: number,
  ): void {
    for (let j = 0; j < series.length; j++) {
      const p = position[series[j]!]!;
      if (p < 0) continue;
      const o = this.place(p); // first: placing may grow (replace) the array
      addPieces(this.sums, o, span, from, to);
    }
  }

  /** The sums of a position into `out`; false when nothing was added to it. */
  read(position: number, out: Float64Array): boolean {
    const o = this.find(position);
    if (o < 0) return false;
    out.set(this.sums.subarray(o, o + 3));
    return true;
  }

  /** Every position with sums, in the order each was first added to. */
  forEach(fn: (position: number, msgs: number, bytesIn: number, bytesOut: number) => void): void {
    for (const p of this.order) {
      const o = this.find(p);
      fn(p, this.sums[o]!, this.sums[o + 1]!, this.sums[o + 2]!);
    }
  }
}

/**
 * Sums at `position * 3`, in arrays as long as the tier's series list: adding is indexing, with
 * no hashing. Such a bucket is kept for reuse after each write (a report's seconds mostly fall in
 * the same few buckets, write after write).
 */
class DenseSums extends LateSums {
  private readonly listed: Uint8Array;

  constructor(length: number) {
    super(length);
    this.listed = new Uint8Array(length);
  }

  protected find(position: number): number {
    return this.listed[position] ? position * 3 : -1;
  }

  protected place(position: number): number {
    if (!this.listed[position]) {
      this.listed[position] = 1;
      this.order.push(position);
    }
    return position * 3;
  }

  clear(): void {
    for (const p of this.order) {
      this.listed[p] = 0;
      this.sums.fill(0, p * 3, p * 3 + 3);
    }
    this.order = [];
  }
}

/** Sums packed in order of arrival, found through a map: for buckets beyond the dense ones. */
class SparseSums extends LateSums {
  private readonly at = new Map<number, number>();

  constructor() {
    super(16);
  }

  protected find(position: number): number {
    return this.at.get(position) ?? -1;
  }

  protected place(position: number): number {
    let o = this.at.get(position);
    if (o === undefined) {
      o = this.order.length * 3;
      if (o + 3 > this.sums.length) {
        const grown = new Float64Array(this.sums.length * 2);
        grown.set(this.sums);
        this.sums = grown;
      }
      this.at.set(position, o);
      this.order.push(position);
    }
    return o;
  }
}

const CACHE = 64;

/**
 * The late buckets of one tier between two writes, by bucket start (s). The first `maxDense`
 * buckets are dense, the rest sparse, so memory stays bounded whatever a report spans. A small
 * direct-mapped cache finds the bucket of a second without asking the map: consecutive pieces of
 * a report fall in consecutive buckets.
 */
export class LateTier {
  readonly buckets = new Map<number, LateSums>();
  private readonly spare: DenseSums[] = [];
  private dense = 0;
  private readonly cacheT = new Float64Array(CACHE).fill(Number.NaN);
  private readonly cacheB: (LateSums | undefined)[] = new Array<LateSums | undefined>(CACHE);

  constructor(
    /** Length of the tier's series list. */
    private readonly length: number,
    private readonly bucketS: number,
    private readonly maxDense: number,
  ) {}

  /** The bucket starting at `t` (s), made if new. */
  at(t: number): LateSums {
    const slot = (t / this.bucketS) & (CACHE - 1);
    if (this.cacheT[slot] === t) return this.cacheB[slot]!;
    let bucket = this.buckets.get(t);
    if (!bucket) {
      bucket = this.make();
      this.buckets.set(t, bucket);
    }
    this.cacheT[slot] = t;
    this.cacheB[slot] = bucket;
    return bucket;
  }

  private make(): LateSums {
    const reused = this.spare.pop();
    if (reused) return reused;
    if (this.dense < this.maxDense) {
      this.dense++;
      return new DenseSums(this.length);
    }
    return new SparseSums();
  }

  /** Forgets every bucket (they were written), keeping the dense ones for reuse. */
  clear(): void {
    for (const bucket of this.buckets.values()) {
      if (bucket instanceof DenseSums) {
        bucket.clear();
        this.spare.push(bucket);
      }
    }
    this.buckets.clear();
    this.cacheT.fill(Number.NaN);
    this.cacheB.fill(undefined);
  }
}
