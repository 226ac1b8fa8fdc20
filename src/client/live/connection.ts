import { io, type Socket } from 'socket.io-client';
import type { HistoryResponse } from '../../protocol/api.ts';
import type { DeviceStatus } from '../../protocol/dimensions.ts';
import type { ErrorCode } from '../../protocol/envelope.ts';
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  SubscribeRequest,
  TickPayload,
} from '../../protocol/live.ts';
import {
  restrictHistory,
  restrictTick,
  statusSelection,
  type StatusSelection,
} from '../filters/status-view.ts';
import { isHistoryResponse } from '../history/api.ts';
import { isHello, isTickAck, isTickPayload } from './payload-guards.ts';
import { noteTickArrival } from './tick-timing.ts';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface LiveError {
  code: ErrorCode | 'connect_failed' | 'timeout' | 'bad_payload';
  message: string;
}

/** What the live connection knows; a new object on every change (for useSyncExternalStore). */
export interface LiveSnapshot {
  readonly state: ConnectionState;
  readonly view: SubscribeRequest;
  /** Latest tick of the current view; null until the first one arrives. */
  readonly tick: TickPayload | null;
  /**
   * The view's last hour (RECENT_HISTORY) from the subscription's ack, under the status filter;
   * null until that ack, or when it carried none.
   */
  readonly recent: HistoryResponse | null;
  /** Browser clock when that tick arrived: wall time to show, monotonic time to measure age. */
  readonly receivedAt: number | null;
  readonly receivedMono: number | null;
  readonly tickMs: number | null;
  readonly serverVersion: string | null;
  readonly error: LiveError | null;
}

export interface LiveConnectionOptions {
  view: SubscribeRequest;
  createSocket?: () => LiveSocket;
  reload?: () => void;
  wallClock?: () => number;
  monotonicClock?: () => number;
  /** Disconnected for longer than this shows as offline rather than reconnecting. */
  offlineAfterMs?: number;
  ackTimeoutMs?: number;
  /** Flow control (SubscribeRequest.ackTicks): on by default, so a slow link never lags behind. */
  ackTicks?: boolean;
}

const defaultSocket = (): LiveSocket =>
  io({
    autoConnect: false,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 10_000,
    // WebSocket straight away: the first figures do not wait for long-polling's handshake and
    // upgrade (several round trips while the page is busy starting). Where a proxy refuses
    // WebSockets, long-polling is tried next.
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
  });

/**
 * Owns the Socket.IO connection, outside React. socket.io-client reconnects with backoff; on
 * every connect the current view is subscribed again and the ack's tick counts as the first.
 */
export class LiveConnection {
  private readonly socket: LiveSocket;
  private readonly listeners = new Set<() => void>();
  private snap: LiveSnapshot;
  private subscribeSeq = 0;
  private awaitingAck = false;
  private offlineTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private manualRetries = 0;
  /** The latest tick as the server sent it, before the status filter. */
  private rawTick: TickPayload | null = null;
  private rawRecent: HistoryResponse | null = null;
  private selection: StatusSelection | null = null;
  private readonly wall: () => number;
  private readonly mono: () => number;

  constructor(private readonly options: LiveConnectionOptions) {
    this.wall = options.wallClock ?? Date.now;
    this.mono = options.monotonicClock ?? (() => performance.now());
    this.snap = {
      state: 'connecting',
      view: options.view,
      tick: null,
      recent: null,
      receivedAt: null,
      receivedMono: null,
      tickMs: null,
      serverVersion: null,
      error: null,
    };
    this.socket = (options.createSocket ?? defaultSocket)();
    this.socket.on('connect', this.onConnect);
    this.socket.on('disconnect', this.onDisconnect);
    this.socket.on('connect_error', this.onConnectError);
    this.socket.on('hello', this.onHello);
    this.socket.on('tick', this.onTick);
  }

  start(): void {
    this.armOfflineTimer();
    this.socket.connect();
  }

  stop(): void {
    clearTimeout(this.offlineTimer);
    clearTimeout(this.retryTimer);
    this.socket.off();
    this.socket.disconnect();
    this.update({ state: 'offline' });
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): LiveSnapshot => this.snap;

  /** Watches another view: forgets the old view's tick and subscribes at once if connected. */
  setView(view: SubscribeRequest): void {
    if (JSON.stringify(view) === JSON.stringify(this.snap.view)) return;
    this.rawTick = null;
    this.rawRecent = null;
    this.update({
      view,
      tick: null,
      recent: null,
      receivedAt: null,
      receivedMono: null,
      error: null,
    });
    this.sendSubscribe();
  }

  /**
   * Keeps only devices of these statuses in every tick from now on, the current one included
   * (empty: all). The server counts every status in every cell, so this needs no new view.
   */
  setStatusFilter(statuses: readonly DeviceStatus[]): void {
    const selection = statusSelection(statuses);
    if (JSON.stringify(selection) === JSON.stringify(this.selection)) return;
    this.selection = selection;
    if (this.rawTick)
      this.update({ tick: this.shown(this.rawTick), recent: this.shownRecent(this.rawRecent) });
  }

  private shown(tick: TickPayload): TickPayload {
    return this.selection ? restrictTick(tick, this.selection) : tick;
  }

  private shownRecent(recent: HistoryResponse | null): HistoryResponse | null {
    return recent && this.selection ? restrictHistory(recent, this.selection) : recent;
  }

  private update(patch: Partial<LiveSnapshot>): void {
    this.snap = { ...this.snap, ...patch };
    for (const listener of this.listeners) listener();
  }

  private readonly onConnect = (): void => {
    clearTimeout(this.offlineTimer);
    this.manualRetries = 0;
    this.update({ state: 'live', error: null });
    this.sendSubscribe();
  };

  private readonly onDisconnect = (reason: string): void => {
    this.update({ state: 'reconnecting' });
    this.armOfflineTimer();
    // After a server-side disconnect (e.g. a restart) socket.io-client does not retry by itself.
    if (reason === 'io server disconnect') this.retrySoon();
  };

  private readonly onConnectError = (err: Error): void => {
    this.update({ error: { code: 'connect_failed', message: err.message } });
    // `active` is false when the server refused us (middleware); keep trying, a wall has no user.
    if (!this.socket.active) this.retrySoon();
  };

  private readonly onHello = (hello: unknown): void => {
    if (!isHello(hello)) return this.badPayload('hello');
    const known = this.snap.serverVersion;
    if (known !== null && known !== hello.version) {
      (this.options.reload ?? (() => window.location.reload()))();
      return;
    }
    this.update({ serverVersion: hello.version, tickMs: hello.tickMs });
  };

  private readonly onTick = (tick: unknown, ack?: unknown): void => {
    noteTickArrival(tick); // a no-op unless the page was opened with ?bench=1
    // With ackTicks the server sends the next tick only once this one is acknowledged, so
    // every tick is acknowledged, even one that is ignored below.
    if (typeof ack === 'function') (ack as () => void)();
    // Until the ack of a new subscription arrives, ticks may still belong to the old view.
    if (this.awaitingAck) return;
    if (!isTickPayload(tick)) return this.badPayload('tick');
    const last = this.snap.tick;
    if (last && tick.seq <= last.seq) return;
    this.acceptTick(tick);
  };

  private sendSubscribe(): void {
    if (!this.socket.connected) return;
    const token = ++this.subscribeSeq;
    this.awaitingAck = true;
    this.socket
      .timeout(this.options.ackTimeoutMs ?? 10_000)
      .emit(
        'subscribe',
        { ...this.snap.view, ackTicks: this.options.ackTicks ?? true },
        (err: Error | null, result: unknown) => {
          if (token !== this.subscribeSeq) return; // a newer subscription superseded this one
          this.awaitingAck = false;
          if (err) {
            const message = `the subscription was not answered (${err.message})`;
            this.update({ error: { code: 'timeout', message } });
            return;
          }
          if (!isTickAck(result)) return this.badPayload('subscribe ack');
          if (!result.ok) {
            // not_ready: the server has no tick yet; the first one will come as an event.
            if (result.error.code !== 'not_ready') this.update({ error: result.error });
            return;
          }
          const { recent, ...tick } = result.data;
          // Announced with the tick, so a page draws its trend lines with the first figures.
          if (recent && isHistoryResponse(recent)) this.rawRecent = recent;
          // The ack repeats the latest tick: the same seq again is no news about freshness.
          if (tick.seq !== this.snap.tick?.seq) this.acceptTick(tick);
          else if (this.rawRecent) this.update({ recent: this.shownRecent(this.rawRecent) });
        },
      );
  }

  private acceptTick(tick: TickPayload): void {
    this.rawTick = tick;
    this.update({
      tick: this.shown(tick),
      recent: this.shownRecent(this.rawRecent),
      tickMs: tick.tickMs,
      receivedAt: this.wall(),
      receivedMono: this.mono(),
      error: null,
    });
  }

  private badPayload(what: string): void {
    this.update({ error: { code: 'bad_payload', message: `malformed ${what} from the server` } });
  }

  private armOfflineTimer(): void {
    clearTimeout(this.offlineTimer);
    this.offlineTimer = setTimeout(() => {
      if (!this.socket.connected) this.update({ state: 'offline' });
    }, this.options.offlineAfterMs ?? 10_000);
  }

  /** Our own backoff for the cases socket.io-client does not retry, with its delays. */
  private retrySoon(): void {
    clearTimeout(this.retryTimer);
    const manager = this.socket.io;
    const delay = Math.min(
      manager.reconnectionDelay() * 2 ** this.manualRetries++,
      manager.reconnectionDelayMax(),
    );
    this.retryTimer = setTimeout(() => this.socket.connect(), delay * (0.5 + Math.random()));
  }
}
