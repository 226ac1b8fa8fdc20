// @vitest-environment jsdom
import { act, cleanup, render, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyKpis, type Kpis } from '../../protocol/metrics.ts';
import { LiveConnection } from '../live/connection.ts';
import { fakeTick, FakeLiveSocket } from '../live/fake-live-socket.ts';
import { LiveConnectionContext } from '../live/use-live.ts';
import { ClassBreakdown } from './class-breakdown.tsx';
import { TechBreakdown } from './tech-breakdown.tsx';

const k = (devices: number, online: number): Kpis => ({ ...emptyKpis(), devices, online });
let live: LiveConnection | undefined;

afterEach(() => {
  cleanup();
  live?.stop();
});

function renderBoth() {
  const socket = new FakeLiveSocket();
  live = new LiveConnection({ view: { scope: 'global' }, createSocket: () => socket.asSocket() });
  live.start();
  const view = render(
    <LiveConnectionContext value={live}>
      <TechBreakdown />
      <ClassBreakdown />
    </LiveConnectionContext>,
  );
  const emit = (breakdown: Parameters<typeof fakeTick>[2]) =>
    act(() => socket.serverEmit('tick', fakeTick(1, {}, breakdown)));
  return { ...view, emit };
}

const names = (figure: HTMLElement) =>
  [...figure.querySelectorAll('.breakdown__name')].map((n) => n.textContent);

describe('breakdowns', () => {
  it('lists device classes by their human names, largest first, beside the technologies', () => {
    const { getByRole, emit } = renderBoth();
    const byClass = getByRole('figure', { name: 'Devices by device class' });
    expect(within(byClass).getByText('Waiting for data…')).toBeTruthy();

    emit({
      breakdown: {
        tech: { lorawan: k(300, 290), 'cellular-5g': k(700, 690) },
        class: {
          'industrial-sensor': k(500, 450),
          'smart-meter': k(900, 880),
          camera: k(0, 0),
          building: k(40, 39),
        },
      },
    });
    expect(names(byClass)).toEqual(['Smart meters', 'Industrial sensors', 'Building systems']);
    const sensors = within(byClass).getByText('Industrial sensors').closest('li')!;
    expect(sensors.textContent).toContain('90.0');
    expect(sensors.getAttribute('title')).toContain('500 devices, 450 online');
    expect(names(getByRole('figure', { name: 'Devices by technology' }))).toEqual([
      '5G',
      'LoRaWAN',
    ]);
  });
});
