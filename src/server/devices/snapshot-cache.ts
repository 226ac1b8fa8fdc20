import { randomBytes } from 'node:crypto';
import type { DeviceSnapshot } from './device-snapshot.ts';

export interface CachedSnapshot {
  key: string;
  snapshot: DeviceSnapshot;
  /** The query that made it (scope, filters, search, sort), for checking a cursor's request. */
  query: string;
  expiresAt: number;
}

/**
 * Snapshots pinned for paging, each for a few minutes after it was last read, so a person
 * scrolling keeps theirs. Bounded: the least recently read goes when too many are open, and its
 * cursors answer "expired" like those of a timed-out one.
 */
export class SnapshotCache {
  private readonly open = new Map<string, CachedSnapshot>();

  private rows = 0;

  /**
   * @param max  snapshots open at once
   * @param maxRows  rows over all open snapshots (about 40 bytes each): a million-device fleet
   *   can pin only a few whole-fleet lists
   */
  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
    private readonly maxRows = 2_000_000,
  ) {}

  put(snapshot: DeviceSnapshot, query: string, now: number): CachedSnapshot {
    this.prune(now);
    while (
      this.open.size > 0 &&
      (this.open.size >= this.max || this.rows + snapshot.size > this.maxRows)
    ) {
      this.drop(this.open.keys().next().value as string);
    }
    const entry = {
      key: randomBytes(9).toString('base64url'),
      snapshot,
      query,
      expiresAt: now + this.ttlMs,
    };
    this.open.set(entry.key, entry);
    this.rows += snapshot.size;
    return entry;
  }

  /** The snapshot under key (its time extended), or null when it expired or was dropped. */
  get(key: string, now: number): CachedSnapshot | null {
    this.prune(now);
    const entry = this.open.get(key);
    if (!entry) return null;
    // Re-inserted, so the map's order stays the order of expiry.
    this.open.delete(key);
    entry.expiresAt = now + this.ttlMs;
    this.open.set(key, entry);
    return entry;
  }

  get size(): number {
    return this.open.size;
  }

  private prune(now: number): void {
    for (const [key, entry] of this.open) {
      if (entry.expiresAt > now) break; // insertion order is expiry order
      this.drop(key);
    }
  }

  private drop(key: string): void {
    const entry = this.open.get(key);
    if (!entry) return;
    this.open.delete(key);
    this.rows -= entry.snapshot.size;
  }
}
