import type { Logger } from 'pino';
import type { DropReason } from '../../protocol/ingest.ts';
import type { IngestSource } from './device-table.ts';

/** One sample per reason and source at most this often in the log. */
const LOG_EVERY_MS = 10_000;
const SAMPLE_CHARS = 200;

/**
 * What ingest accepted and dropped, by source and reason, for /metrics and /healthz; drops are
 * logged rate-limited with where they came from and a sample of what was sent.
 */
export class IngestStats {
  readonly accepted: Record<IngestSource, number> = { mqtt: 0, http: 0 };
  readonly duplicates: Record<IngestSource, number> = { mqtt: 0, http: 0 };
  readonly dropped = new Map<string, number>();
  private readonly lastLogged = new Map<string, number>();
  private readonly suppressed = new Map<string, number>();
  /** Told how late each counted status or telemetry record arrived (s), e.g. by /metrics. */
  lagObserver: ((source: IngestSource, seconds: number) => void) | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  accept(source: IngestSource, n = 1): void {
    this.accepted[source] += n;
  }

  /** A counted record stamped `eventTs` arrived at `now`. */
  lag(source: IngestSource, eventTs: number, now: number): void {
    this.lagObserver?.(source, Math.max(0, now - eventTs) / 1000);
  }

  duplicate(source: IngestSource): void {
    this.duplicates[source]++;
  }

  /** Counts a drop and logs it unless one of the same kind was logged in the last 10 s. */
  drop(
    source: IngestSource,
    reason: DropReason,
    where: string,
    detail: string,
    sample?: unknown,
  ): void {
    const key = `${source}\u0000${reason}`;
    this.dropped.set(key, (this.dropped.get(key) ?? 0) + 1);
    const now = this.now();
    const last = this.lastLogged.get(key);
    if (last !== undefined && now - last < LOG_EVERY_MS) {
      this.suppressed.set(key, (this.suppressed.get(key) ?? 0) + 1);
      return;
    }
    this.lastLogged.set(key, now);
    const alike = this.suppressed.get(key) ?? 0;
    this.suppressed.delete(key);
    this.logger.warn(
      { source, reason, where, detail, sample: sampleOf(sample), alikeSinceLastLog: alike },
      'ingest dropped a record',
    );
  }

  /** Drops by source and reason: [source, reason, count]. */
  drops(): [IngestSource, DropReason, number][] {
    return [...this.dropped].map(([key, n]) => {
      const [source, reason] = key.split('\u0000') as [IngestSource, DropReason];
      return [source, reason, n];
    });
  }

  droppedTotal(): number {
    let n = 0;
    for (const v of this.dropped.values()) n += v;
    return n;
  }
}

function sampleOf(sample: unknown): string | undefined {
  if (sample === undefined) return undefined;
  let text: string;
  if (typeof sample === 'string') text = sample;
  else if (sample instanceof Uint8Array) text = Buffer.from(sample).toString('utf8');
  else {
    try {
      text = JSON.stringify(sample) ?? String(sample);
    } catch {
      // Nested too deep for JSON.stringify; String() would recurse as deep and throw too.
      text = Object.prototype.toString.call(sample);
    }
  }
  return text.length > SAMPLE_CHARS ? `${text.slice(0, SAMPLE_CHARS)}…` : text;
}
