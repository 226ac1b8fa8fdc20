import type { Server } from 'socket.io';
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  TickPayload,
} from '../../protocol/live.ts';
import type { CellCounts } from '../aggregate/cells.ts';
import { buildTick } from './rollup.ts';
import type { ViewSpec } from './view-spec.ts';

export type LiveServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
export interface SocketData {
  view?: string;
}

interface ViewState {
  spec: ViewSpec;
  last: TickPayload | null;
}

export function roomOf(key: string): string {
  return `view:${key}`;
}

/**
 * The views someone is watching. Each tick builds one payload per watched view and sends it to
 * that view's room as a volatile event, so a client whose connection is still busy skips a
 * tick instead of queueing a backlog, and gets the newest one next.
 */
export class LiveViews {
  private readonly views = new Map<string, ViewState>();

  constructor(
    private readonly io: LiveServer,
    private readonly tickMs: number,
    private readonly simulated: boolean,
    private readonly latest: () => { ts: number; traffic: Float64Array; counts: CellCounts } | null,
  ) {}

  get size(): number {
    return this.views.size;
  }

  /** Registers interest in a view and returns its latest tick (built now if need be). */
  watch(spec: ViewSpec): TickPayload | null {
    let state = this.views.get(spec.key);
    if (!state) {
      state = { spec, last: null };
      this.views.set(spec.key, state);
    }
    const latest = this.latest();
    if (!latest) return null;
    if (!state.last || state.last.ts !== latest.ts) {
      state.last = buildTick(
        spec,
        latest.counts,
        latest.traffic,
        latest.ts,
        this.tickMs,
        this.simulated,
      );
    }
    return state.last;
  }

  /** Builds and sends this tick for every view that has members; forgets views without. */
  onTick(tickEnd: number, traffic: Float64Array, counts: CellCounts): void {
    const rooms = this.io.sockets.adapter.rooms;
    for (const [key, state] of this.views) {
      const room = roomOf(key);
      if (!rooms.get(room)?.size) {
        this.views.delete(key);
        continue;
      }
      state.last = buildTick(state.spec, counts, traffic, tickEnd, this.tickMs, this.simulated);
      this.io.to(room).volatile.emit('tick', state.last);
    }
  }
}
