// @vitest-environment jsdom
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TickPayload } from '../../protocol/live.ts';
import { emptyKpis } from '../../protocol/metrics.ts';
import type { ScopeNode } from '../../protocol/scopes.ts';
import { allocSiteFigures, encodeSiteFigures } from '../../protocol/site-figures.ts';
import { buildScopeTree } from '../scopes/scope-tree.ts';

// No WebGL under jsdom: a stand-in that records what the wrapper asks of MapLibre.
const maps: FakeMap[] = [];
class FakeMap {
  handlers = new Map<string, ((e: unknown) => void)[]>();
  source = {
    setData: vi.fn(),
    updateData: vi.fn(),
    getClusterExpansionZoom: vi.fn(() => Promise.resolve(5)),
  };
  canvas = { style: {}, setAttribute: vi.fn() };
  fitBounds = vi.fn();
  easeTo = vi.fn();
  addControl = vi.fn();
  isStyleLoaded = () => true;
  getLayer = () => ({});
  setPaintProperty = vi.fn();
  setFilter = vi.fn();
  resize = vi.fn();
  redraw = vi.fn();
  remove = vi.fn();
  touchZoomRotate = { disableRotation: vi.fn() };
  keyboard = { disableRotation: vi.fn() };
  constructor(readonly options: unknown) {
    maps.push(this);
  }
  on(event: string, fn: (e: unknown) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }
  fire(event: string, e: unknown = {}) {
    for (const fn of this.handlers.get(event) ?? []) fn(e);
  }
  getSource = vi.fn(() => this.source);
  getCanvas = () => this.canvas;
  queryRenderedFeatures = vi.fn(() => []);
  project = () => ({ x: 0, y: 0 });
}
vi.mock('maplibre-gl', () => ({
  Map: FakeMap,
  NavigationControl: class {},
  setWorkerUrl: vi.fn(),
}));

const { default: WorldMap } = await import('./world-map.tsx');

function node(
  id: string,
  kind: ScopeNode['kind'],
  parent: string | null,
  start: number,
  count: number,
): ScopeNode {
  return {
    id,
    kind,
    name: id,
    parent,
    lat: 48,
    lon: 2 + start,
    bbox: [2, 48, 3, 49],
    siteStart: start,
    siteCount: count,
  };
}
const tree = buildScopeTree({
  scopes: [
    node('global', 'global', null, 0, 2),
    node('region:europe', 'region', 'global', 0, 2),
    node('country:FR', 'country', 'region:europe', 0, 2),
    node('site:paris', 'site', 'country:FR', 0, 1),
    node('site:lyon', 'site', 'country:FR', 1, 1),
  ],
});

function tick(
  seq: number,
  devices: number,
  offline: [number, number] = [1, 1],
  flow: [number, number] = [0, 0],
): TickPayload {
  const f = allocSiteFigures(2);
  f.devices.set([devices, 10]);
  f.offline.set(offline);
  f.flowRate.set(flow);
  return {
    seq,
    ts: seq * 1000,
    tickMs: 1000,
    scope: 'global',
    filter: null,
    kpis: emptyKpis(),
    breakdown: { tech: {}, class: {} },
    sites: { start: 0, count: 2, data: encodeSiteFigures(f, 2) },
    simulated: true,
  };
}

afterEach(() => {
  cleanup();
  maps.length = 0;
});

/** The map of the global view with the built-in basemap, as the Overview renders it. */
const globalProps = () => ({
  tree,
  scope: 'global',
  units: 'bytes' as const,
  basemap: null,
  onSelect: vi.fn(),
});

describe('WorldMap', () => {
  it('says it is drawing until the first frame, creates the map once, updates the site source in place and removes the map on unmount', () => {
    const props = globalProps();
    const view = render(<WorldMap {...props} tick={tick(1, 100)} />);
    expect(maps).toHaveLength(1);
    const map = maps[0]!;
    expect(view.getByRole('status').textContent).toBe('Drawing the map…');
    act(() => map.fire('load'));
    expect(view.queryByRole('status')).toBeNull();
    expect(map.source.setData).toHaveBeenCalledTimes(1);
    const first = map.source.setData.mock.calls[0]![0] as {
      features: { properties: { devices: number } }[];
    };
    expect(first.features.map((f) => f.properties.devices)).toEqual([100, 10]);

    view.rerender(<WorldMap {...props} tick={tick(2, 120)} />);
    view.rerender(<WorldMap {...props} tick={tick(3, 130)} />);
    expect(maps).toHaveLength(1);
    expect(map.source.setData).toHaveBeenCalledTimes(3);

    view.unmount();
    expect(map.remove).toHaveBeenCalledTimes(1);
  });

  it('sends the source only the sites whose drawn figures changed, and nothing for flow alone', () => {
    const props = globalProps();
    const view = render(<WorldMap {...props} tick={tick(1, 100)} />);
    const map = maps[0]!;
    act(() => map.fire('load'));
    expect(map.source.setData).toHaveBeenCalledTimes(1);

    // Lyon loses a device to offline: its online count is all the source is sent.
    view.rerender(<WorldMap {...props} tick={tick(2, 100, [1, 2])} />);
    expect(map.source.updateData).toHaveBeenCalledTimes(1);
    expect(map.source.updateData).toHaveBeenLastCalledWith({
      update: [{ id: 1, addOrUpdateProperties: [{ key: 'online', value: 8 }] }],
    });
    // Only the flow moved: the map draws nothing of it, so the source is left alone.
    view.rerender(<WorldMap {...props} tick={tick(3, 100, [1, 2], [5000, 70])} />);
    expect(map.source.updateData).toHaveBeenCalledTimes(1);
    expect(map.source.setData).toHaveBeenCalledTimes(1);
  });

  it('frames a new scope when its first figures arrive, with its sites, or after a second without', () => {
    vi.useFakeTimers();
    try {
      const props = { tree, units: 'bytes' as const, basemap: null, onSelect: vi.fn() };
      const view = render(<WorldMap {...props} scope="global" tick={tick(1, 100)} />);
      const map = maps[0]!;
      act(() => map.fire('load'));
      map.fitBounds.mockClear();
      map.source.setData.mockClear();

      // The click: the map stays as it was until the new scope's figures come.
      view.rerender(<WorldMap {...props} scope="country:FR" tick={null} />);
      expect(map.fitBounds).not.toHaveBeenCalled();
      expect(map.source.setData).not.toHaveBeenCalled();
      view.rerender(
        <WorldMap {...props} scope="country:FR" tick={{ ...tick(2, 50), scope: 'country:FR' }} />,
      );
      expect(map.fitBounds).toHaveBeenCalledTimes(1);
      expect(map.source.setData).toHaveBeenCalledTimes(1);

      // No figures for the next scope: framed after a second all the same, with no sites.
      view.rerender(<WorldMap {...props} scope="global" tick={null} />);
      expect(map.fitBounds).toHaveBeenCalledTimes(1);
      act(() => vi.advanceTimersByTime(1000));
      expect(map.fitBounds).toHaveBeenCalledTimes(2);
      const last = map.source.setData.mock.calls.at(-1)![0] as { features: unknown[] };
      expect(last.features).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps its sites while a switch has no figures for them, until it is told of the new scope', () => {
    const props = globalProps();
    const view = render(<WorldMap {...props} tick={tick(1, 100)} />);
    const map = maps[0]!;
    act(() => map.fire('load'));
    map.source.setData.mockClear();

    // The click: the connection forgets the old view's tick at once; the page shows the new
    // scope's figures when they come, and tells the map one render later.
    view.rerender(<WorldMap {...props} tick={null} />);
    view.rerender(<WorldMap {...props} tick={{ ...tick(2, 50), scope: 'country:FR' }} />);
    expect(map.source.setData).not.toHaveBeenCalled();
    expect(map.source.updateData).not.toHaveBeenCalled();
    view.rerender(
      <WorldMap {...props} scope="country:FR" tick={{ ...tick(2, 50), scope: 'country:FR' }} />,
    );
    expect(map.source.setData).toHaveBeenCalledTimes(1);
    const drawn = map.source.setData.mock.calls[0]![0] as {
      features: { properties: { devices: number } }[];
    };
    expect(drawn.features.map((f) => f.properties.devices)).toEqual([50, 10]);
  });

  it('follows the size of its box, but holds a resize back until a new scope is framed', () => {
    const observers: (() => void)[] = [];
    vi.stubGlobal(
      'ResizeObserver',
      class {
        constructor(callback: () => void) {
          observers.push(callback);
        }
        observe() {}
        disconnect() {}
      },
    );
    try {
      const props = { tree, units: 'bytes' as const, basemap: null, onSelect: vi.fn() };
      const view = render(<WorldMap {...props} scope="global" tick={tick(1, 100)} />);
      const map = maps[0]!;
      act(() => map.fire('load'));
      const box = view.container.querySelector<HTMLElement>('.world-map__canvas')!;
      const resizeTo = (height: number) => {
        Object.defineProperty(box, 'clientHeight', { value: height, configurable: true });
        for (const o of observers) o();
      };
      resizeTo(600);
      expect(map.resize).toHaveBeenCalledTimes(1);

      // The charts beside it change height on a scope switch: one frame for both, later.
      view.rerender(<WorldMap {...props} scope="country:FR" tick={null} />);
      resizeTo(640);
      expect(map.resize).toHaveBeenCalledTimes(1);
      map.fitBounds.mockClear();
      view.rerender(
        <WorldMap {...props} scope="country:FR" tick={{ ...tick(2, 50), scope: 'country:FR' }} />,
      );
      expect(map.resize).toHaveBeenCalledTimes(2);
      expect(map.fitBounds).toHaveBeenCalled();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('frames the scope and asks to scope the page to a clicked site', () => {
    const onSelect = vi.fn();
    render(
      <WorldMap
        tree={tree}
        scope="country:FR"
        units="bytes"
        basemap={null}
        onSelect={onSelect}
        tick={null}
      />,
    );
    const map = maps[0]!;
    act(() => map.fire('load'));
    expect(map.fitBounds).toHaveBeenCalled();
    map.queryRenderedFeatures.mockReturnValueOnce([
      { properties: { scope: 'site:lyon' } },
    ] as never);
    map.fire('click', { point: { x: 1, y: 1 } });
    expect(onSelect).toHaveBeenCalledWith('site:lyon');
    expect(map.canvas.setAttribute).toHaveBeenCalledWith(
      'aria-label',
      expect.stringContaining('Map of sites in country:FR'),
    );
  });

  it('zooms into a group of sites instead of scoping the page to it', async () => {
    const onSelect = vi.fn();
    const view = render(
      <WorldMap
        tree={tree}
        scope="global"
        units="bytes"
        basemap={null}
        onSelect={onSelect}
        tick={null}
      />,
    );
    const map = maps[0]!;
    act(() => map.fire('load'));
    map.queryRenderedFeatures.mockReturnValueOnce([
      {
        properties: { cluster: true, cluster_id: 7, point_count: 2 },
        geometry: { type: 'Point', coordinates: [2, 48] },
      },
    ] as never);
    act(() => map.fire('click', { point: { x: 1, y: 1 } }));
    await act(async () => {});
    expect(onSelect).not.toHaveBeenCalled();
    expect(map.source.getClusterExpansionZoom).toHaveBeenCalledWith(7);
    expect(map.easeTo).toHaveBeenCalledWith({ center: [2, 48], zoom: 5 });
    // Moved away from the scope's frame: one button brings it back.
    const reset = view.getByRole('button', { name: 'Fit the world' });
    map.fitBounds.mockClear();
    act(() => reset.click());
    expect(map.fitBounds).toHaveBeenCalledTimes(1);
    expect(view.queryByRole('button', { name: 'Fit the world' })).toBeNull();
  });

  it('repaints the offline basemap when the theme changes', async () => {
    render(
      <WorldMap
        tree={tree}
        scope="global"
        units="bytes"
        basemap={null}
        onSelect={vi.fn()}
        tick={null}
      />,
    );
    const map = maps[0]!;
    act(() => map.fire('load'));
    document.documentElement.style.setProperty('--map-water', '#dde7f0');
    document.documentElement.setAttribute('data-theme', 'light');
    await act(async () => {});
    expect(map.setPaintProperty).toHaveBeenCalledWith('background', 'background-color', '#dde7f0');
    document.documentElement.removeAttribute('data-theme');
    document.documentElement.style.removeProperty('--map-water');
  });
});
