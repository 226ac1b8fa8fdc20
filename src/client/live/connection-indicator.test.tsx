// @vitest-environment jsdom
// Staleness as a person sees it: the connection indicator and the KPI tiles, under fake timers,
// fed by a real LiveConnection whose socket is played by the test.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatClock } from '../format/time.ts';
import { KpiStrip } from '../kpis/kpi-strip.tsx';
import { ScopeHeading } from '../scopes/scope-heading.tsx';
import { BackfillBadge } from './backfill-badge.tsx';
import { ConnectionIndicator } from './connection-indicator.tsx';
import { LiveConnection } from './connection.ts';
import { fakeTick, FakeLiveSocket } from './fake-live-socket.ts';
import { LiveConnectionContext, useStaleSince } from './use-live.ts';

const START = Date.UTC(2030, 0, 15, 9, 30, 0);
let socket: FakeLiveSocket;
let live: LiveConnection;

beforeEach(() => {
  vi.useFakeTimers({ now: START });
  socket = new FakeLiveSocket();
  live = new LiveConnection({ view: { scope: 'global' }, createSocket: () => socket.asSocket() });
  live.start();
});

afterEach(() => {
  cleanup();
  live.stop();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function renderLive(ui: ReactNode) {
  // History for the tiles' trend lines cannot be read here: they start from the ticks.
  vi.stubGlobal('fetch', () => Promise.reject(new Error('no server in this test')));
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={queries}>
      <LiveConnectionContext value={live}>{ui}</LiveConnectionContext>
    </QueryClientProvider>,
  );
}

const elapse = (ms: number) => act(() => vi.advanceTimersByTime(ms));
const tick = (seq: number, devices = 1000) =>
  act(() => socket.serverEmit('tick', fakeTick(seq, { devices })));

describe('ConnectionIndicator', () => {
  it('goes stale after three tick intervals without a tick, and live again on the next', () => {
    const { container } = renderLive(<ConnectionIndicator />);
    const indicator = container.querySelector('.conn')!;
    expect(screen.getByRole('status').textContent).toBe('Live');
    expect(indicator.textContent).toContain('no tick yet');

    tick(1);
    expect(indicator.textContent).toBe('Livelast tick 0\u00a0s ago');

    elapse(3000); // exactly three intervals: still fresh
    expect(indicator.getAttribute('data-state')).toBe('live');
    expect(screen.getByRole('status').textContent).toBe('Live');
    expect(indicator.textContent).toContain('last tick 3\u00a0s ago');

    elapse(1000);
    expect(indicator.getAttribute('data-state')).toBe('stalled');
    expect(screen.getByRole('status').textContent).toBe('Connected, no data');
    expect(indicator.textContent).toContain('last tick 4\u00a0s ago');

    elapse(60_000);
    expect(indicator.textContent).toContain('last tick 1\u00a0min ago');

    tick(2);
    expect(indicator.getAttribute('data-state')).toBe('live');
    expect(screen.getByRole('status').textContent).toBe('Live');
    expect(indicator.textContent).toContain('last tick 0\u00a0s ago');
  });

  it('says the server is lost, not only stale, when the socket drops', () => {
    const { container } = renderLive(<ConnectionIndicator />);
    tick(1);
    act(() => {
      socket.connected = false;
      socket.serverEmit('disconnect', 'transport close');
    });
    expect(screen.getByRole('status').textContent).toBe('Reconnecting…');
    elapse(10_000);
    expect(screen.getByRole('status').textContent).toBe('Offline, retrying');
    expect(container.querySelector('.conn')!.textContent).toContain('last tick 10\u00a0s ago');
  });
});

describe('KpiStrip', () => {
  it('marks every tile stale since the last tick’s arrival, and clears on the next tick', () => {
    const { container } = renderLive(<KpiStrip units="bytes" scope="global" filter={null} />);
    tick(1, 4321);
    const received = Date.now();
    const devices = container.querySelector('[data-kpi="devices"]')!;
    expect(devices.querySelector('.kpi__value')!.getAttribute('title')).toBe('4,321 devices');
    expect(container.querySelectorAll('.kpi[data-stale]')).toHaveLength(0);

    elapse(4000);
    expect(container.querySelectorAll('.kpi[data-stale]')).toHaveLength(6);
    expect(devices.querySelector('.kpi__note')!.textContent).toBe(
      `Stale since ${formatClock(received)}`,
    );
    // The last figures stay on screen, marked, rather than vanishing.
    expect(devices.querySelector('.kpi__number')!.textContent).toBe('4.3');

    tick(2, 4400);
    expect(container.querySelectorAll('.kpi[data-stale]')).toHaveLength(0);
    expect(devices.querySelector('.kpi__note')).toBeNull();
    expect(devices.querySelector('.kpi__value')!.getAttribute('title')).toBe('4,400 devices');
  });
});

describe('useStaleSince', () => {
  function Probe({ renders }: { renders: number[] }) {
    const since = useStaleSince();
    renders.push(since ?? -1);
    return <p>{since === null ? 'fresh' : `stale since ${since}`}</p>;
  }

  it('re-renders a part that only greys out when the figures go stale or fresh, not per tick or second', () => {
    const renders: number[] = [];
    const view = renderLive(<Probe renders={renders} />);
    tick(1);
    const received = Date.now();
    for (let seq = 2; seq <= 6; seq++) {
      elapse(1000);
      tick(seq);
    }
    // Five more ticks and five beats of the clock: nothing this part shows changed.
    expect(renders).toHaveLength(1);
    expect(view.container.textContent).toBe('fresh');

    elapse(4000);
    expect(view.container.textContent).toBe(`stale since ${received + 5000}`);
    elapse(3000);
    tick(7);
    expect(view.container.textContent).toBe('fresh');
    expect(renders).toHaveLength(3);
  });
});

describe('BackfillBadge', () => {
  it('says how far the server has back-filled its history, and goes when it is done', () => {
    const view = renderLive(<BackfillBadge />);
    act(() => socket.serverEmit('tick', fakeTick(1)));
    expect(view.container.textContent).toBe('');
    act(() => socket.serverEmit('tick', fakeTick(2, {}, { backfill: 0.374 })));
    expect(view.container.textContent).toBe('Back-filling history · 37 %');
    act(() => socket.serverEmit('tick', fakeTick(3, {}, { backfill: 0.999 })));
    expect(view.container.textContent).toBe('Back-filling history · 99 %');
    // The server goes away: its last word on the back-fill is not shown as current.
    act(() => socket.serverEmit('disconnect', 'transport close'));
    expect(view.container.textContent).toBe('');
    act(() => socket.serverEmit('tick', fakeTick(4)));
    expect(view.container.textContent).toBe('');
  });
});

describe('ScopeHeading', () => {
  it('marks the moment of its figures when no newer ones came, and clears on the next tick', () => {
    const { container } = renderLive(<ScopeHeading scope="global" />);
    tick(1);
    const asOf = container.querySelector('.scope-head__asof')!;
    expect(asOf.textContent).toBe(`Figures as of ${formatClock(1000)}`);
    expect(asOf.hasAttribute('data-stale')).toBe(false);
    elapse(4000);
    expect(asOf.textContent).toBe(`Figures as of ${formatClock(1000)}, no newer ones since`);
    expect(asOf.hasAttribute('data-stale')).toBe(true);
    tick(2);
    expect(asOf.textContent).toBe(`Figures as of ${formatClock(2000)}`);
    expect(asOf.hasAttribute('data-stale')).toBe(false);
  });
});
