import type { Server, Socket } from 'socket.io';
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  TickPayload,
} from '../../protocol/live.ts';
import type { CellCounts } from '../aggregate/cells.ts';
import { buildTick } from './rollup.ts';
import type { ViewSpec } from './view-spec.ts';

export interface SocketData {
  /** Key of the view this socket watches. */
  view?: string;
  /** Flow control: the socket acknowledges ticks (see SubscribeRequest.ackTicks). */
  ackTicks?: boolean;
  /** A tick is on its way and not yet acknowledged. */
  awaiting?: boolean;
  /** Ticks happened while awaiting: send the newest once acknowledged. */
  behind?: boolean;
  lastSentSeq?: number;
}

export type LiveServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
export type LiveSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

interface ViewState {
  spec: ViewSpec;
  last: TickPayload | null;
}

/** Everyone watching a view. */
export function roomOf(key: string): string {
  return `view:${key}`;
}

/** Those of them that acknowledge ticks; they are left out of the volatile broadcast. */
export function ackRoomOf(key: string): string {
  return `ack:${key}`;
}

/** A tick not acknowledged within this time is taken as lost and the newest is sent. */
const ACK_TIMEOUT_MS = 30_000;

/**
 * The views someone is watching. Each tick builds one payload per watched view, sends it as a
 * volatile broadcast to the view's room (a busy connection skips it) and, to sockets that
 * acknowledge ticks, one at a time: the newest once the previous is acknowledged, never a
 * backlog.
 */
export class LiveViews {
  private readonly views = new Map<string, ViewState>();

  constructor(
    private readonly io: LiveServer,
    private readonly tickMs: number,
    /** Where the figures come from: the simulator, real sources, or both. */
    private readonly origin: { simulated: boolean; real: boolean },
    private readonly latest: () => {
      ts: number;
      traffic: Float64Array;
      counts: CellCounts;
    } | null,
    /** The share of history back-fill done while it runs, else null (see TickPayload.backfill). */
    private readonly backfill: () => number | null = () => null,
  ) {}

  private build(spec: ViewSpec, counts: CellCounts, traffic: Float64Array, ts: number) {
    const { simulated, real } = this.origin;
    const tick = buildTick(spec, counts, traffic, ts, this.tickMs, simulated, real);
    const backfill = this.backfill();
    if (backfill !== null) tick.backfill = backfill;
    return tick;
  }

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
      state.last = this.build(spec, latest.counts, latest.traffic, latest.ts);
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
      const tick = this.build(state.spec, counts, traffic, tickEnd);
      state.last = tick;
      this.io.to(room).except(ackRoomOf(key)).volatile.emit('tick', tick);
      for (const id of rooms.get(ackRoomOf(key)) ?? []) {
        const socket = this.io.sockets.sockets.get(id);
        if (!socket) continue;
        if (socket.data.awaiting) socket.data.behind = true;
        else this.sendAcked(socket, tick);
      }
    }
  }

  private sendAcked(socket: LiveSocket, tick: TickPayload): void {
    socket.data.awaiting = true;
    socket.data.behind = false;
    socket.data.lastSentSeq = tick.seq;
    socket.timeout(ACK_TIMEOUT_MS).emit('tick', tick, () => {
      socket.data.awaiting = false;
      if (!socket.data.behind || !socket.connected || !socket.data.ackTicks) return;
      const newest = socket.data.view ? this.views.get(socket.data.view)?.last : undefined;
      if (newest && newest.seq !== socket.data.lastSentSeq) this.sendAcked(socket, newest);
    });
  }
}
