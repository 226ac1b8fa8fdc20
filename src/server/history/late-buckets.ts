import type { LateSpan } from '../aggregate/aggregator.ts';

/**
 * Late traffic of one bucket of one tier: [msgs, bytes in, bytes out] summed per series, the
 * series named by their position in the tier's series list (`SeriesCatalog.tierSeries`).
 */
export interface LateSums {
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
  ): void;
  /** The sums of a position into `out`; false when nothing was added to it. */
  read(position: number, out: Float64Array): boolean;
  /** Every position with sums, in the order each was first added to. */
  forEach(fn: (position: number, msgs: number, bytesIn: number, bytesOut: number) => void): void;
  readonly size: number;
}

/**
 * Sums in arrays as long as the tier's series list: adding is indexing, with no hashing. Such a
 * bucket is kept for reuse after each write (a report's seconds mostly fall in the same few
 * buckets, write after write).
 */
class DenseSums implements LateSums {
  private readonly sums: Float64Array;
  private readonly listed: Uint8Array;
  private readonly order: Int32Array;
  size = 0;

  constructor(length: number) {
    this.sums = new Float64Array(length * 3);
    this.listed = new Uint8Array(length);
    this.order = new Int32Array(length);
  }

  add(
    series: readonly number[],
    position: Int32Array,
    span: LateSpan,
    from: number,
    to: number,
  ): void {
    const { sums, listed } = this;
    const { msgs, bytesIn, bytesOut } = span;
    for (let j = 0; j < series.length; j++) {
      const p = position[series[j]!]!;
      if (p < 0) continue;
      if (!listed[p]) {
        listed[p] = 1;
        this.order[this.size++] = p;
      }
      const o = p * 3;
      // One addition per piece, in order, as a piece-by-piece caller would: the same sums.
      let m = sums[o]!;
      let bi = sums[o + 1]!;
      let bo = sums[o + 2]!;
      for (let k = from; k < to; k++) {
        m += msgs[k]!;
        bi += bytesIn[k]!;
        bo += bytesOut[k]!;
      }
      sums[o] = m;
      sums[o + 1] = bi;
      sums[o + 2] = bo;
    }
  }

  read(position: number, out: Float64Array): boolean {
    if (!this.listed[position]) return false;
    out.set(this.sums.subarray(position * 3, position * 3 + 3));
    return true;
  }

  forEach(fn: (position: number, msgs: number, bytesIn: number, bytesOut: number) => void): void {
    for (let k = 0; k < this.size; k++) {
      const p = this.order[k]!;
      fn(p, this.sums[p * 3]!, this.sums[p * 3 + 1]!, this.sums[p * 3 + 2]!);
    }
  }

  clear(): void {
    for (let k = 0; k < this.size; k++) {
      const p = this.order[k]!;
      this.listed[p] = 0;
      this.sums.fill(0, p * 3, p * 3 + 3);
    }
    this.size = 0;
  }
}

/** Sums in a map, for buckets beyond the dense ones (a report spread over many hours). */
class SparseSums implements LateSums {
  private readonly sums = new Map<number, Float64Array>();

  get size(): number {
    return this.sums.size;
  }

  add(
    series: readonly number[],
    position: Int32Array,
    span: LateSpan,
    from: number,
    to: number,
  ): void {
    const { msgs, bytesIn, bytesOut } = span;
    for (let j = 0; j < series.length; j++) {
      const p = position[series[j]!]!;
      if (p < 0) continue;
      let acc = this.sums.get(p);
      if (!acc) {
        acc = new Float64Array(3);
        this.sums.set(p, acc);
      }
      let m = acc[0]!;
      let bi = acc[1]!;
      let bo = acc[2]!;
      for (let k = from; k < to; k++) {
        m += msgs[k]!;
        bi += bytesIn[k]!;
        bo += bytesOut[k]!;
      }
      acc[0] = m;
      acc[1] = bi;
      acc[2] = bo;
    }
  }

  read(position: number, out: Float64Array): boolean {
    const acc = this.sums.get(position);
    if (!acc) return false;
    out.set(acc);
    return true;
  }

  forEach(fn: (position: number, msgs: number, bytesIn: number, bytesOut: number) => void): void {
    for (const [p, acc] of this.sums) fn(p, acc[0]!, acc[1]!, acc[2]!);
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
