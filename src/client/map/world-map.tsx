// The map chunk: MapLibre, the world's outlines and the site layer. Loaded on its own
// (React.lazy in map-panel.tsx) so the KPIs show before ~300 kB of map code arrives.
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { FeatureCollection, Point } from 'geojson';
import type { StyleSpecification } from 'maplibre-gl';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import countries110m from 'world-atlas/countries-110m.json';
import type { TickPayload } from '../../protocol/live.ts';
import type { ScopeNode } from '../../protocol/scopes.ts';
import type { SiteFigures } from '../../protocol/site-figures.ts';
import { decodeTickSites } from '../scopes/child-figures.ts';
import type { ScopeTree } from '../scopes/scope-tree.ts';
import {
  mapStyle,
  paletteChanges,
  withOverlay,
  SITE_LAYERS,
  COUNTRY_LAYERS,
  CLUSTER_MAX_ZOOM,
} from './map-style.ts';
import { readMapPalette, watchTheme } from './map-palette.ts';
import { MapTooltip, type Hover } from './map-tooltip.tsx';
import { isEmptyDiff, sentSites, siteDiff, type SentSites } from './site-diff.ts';
import {
  largestSite,
  siteCollection,
  siteFeature,
  sitesInOrder,
  type ClusterProperties,
  type SiteProperties,
} from './site-features.ts';
import { countriesGeoJson } from './world-geometry.ts';
import type { RateUnit } from '../format/numbers.ts';
import { exposeMapProjection } from './map-debug.ts';
import type { PeriodSites } from './period-sites.ts';

maplibregl.setWorkerUrl(workerUrl);

const countries = countriesGeoJson(
  countries110m as unknown as Parameters<typeof countriesGeoJson>[0],
);
const EMPTY: FeatureCollection<Point, SiteProperties> = { type: 'FeatureCollection', features: [] };
const NO_BYTES = new Uint8Array(0);
const WORLD: [number, number, number, number] = [-170, -58, 190, 78];
// Room at the bottom for the legend strip.
const FIT = { padding: { top: 20, right: 20, bottom: 56, left: 20 }, duration: 0, maxZoom: 7 };
/** A new scope whose figures do not come (the server is away) is framed after this anyway. */
const FRAME_WITHOUT_FIGURES_MS = 1000;

export interface WorldMapProps {
  tree: ScopeTree;
  scope: string;
  tick: TickPayload | null;
  units: RateUnit;
  /** Someone's own basemap (MAP_STYLE_URL) to draw under the sites, or null for the offline one. */
  basemap: StyleSpecification | null;
  /** A click on a site or a country asks to scope the page there. */
  onSelect: (scope: string) => void;
  /** A past period's sites (means over it) to draw instead of the live tick's. */
  period?: PeriodSites | null;
}

const SITE_AND_CLUSTER_LAYERS = [SITE_LAYERS.circles, SITE_LAYERS.clusters];

/**
 * What the pointer is on. The tooltip shows its figures from the latest tick (or period), not
 * from the rendered feature: the source is not updated for figures the map does not draw (flow).
 */
type HoverTarget =
  | { kind: 'site'; x: number; y: number; id: number; props: SiteProperties }
  | {
      kind: 'cluster';
      x: number;
      y: number;
      props: ClusterProperties;
      /** Ids of the group's sites, once the map's worker has told them. */
      leaves: readonly number[] | null;
    }
  | Extract<Hover, { kind: 'country' }>;

/** The site figures to draw: the latest tick's, or a past period's means. */
interface LiveSites {
  sites: readonly (ScopeNode | undefined)[];
  tick: Pick<TickPayload, 'sites'>;
  figures: SiteFigures;
}

/** The hovered place's figures from the figures on screen. */
function liveHover(target: HoverTarget, live: LiveSites | null): Hover {
  if (target.kind === 'country') return target;
  const { x, y } = target;
  const { start, count } = live?.tick.sites ?? { start: 0, count: 0 };
  if (target.kind === 'site') {
    const i = target.id - start;
    const now =
      live && i >= 0 && i < count
        ? siteFeature(
            live.sites[target.id],
            target.id,
            live.figures,
            i,
            largestSite(live.figures, count),
          )
        : null;
    return { kind: 'site', x, y, props: now?.properties ?? target.props };
  }
  const { point_count, devices, online } = target.props;
  if (!target.leaves || !live)
    return { kind: 'cluster', x, y, props: { point_count, devices, online, flow: null } };
  const sum = { point_count, devices: 0, online: 0, flow: 0 };
  for (const id of target.leaves) {
    const i = id - start;
    if (i < 0 || i >= count) continue;
    sum.devices += live.figures.devices[i] ?? 0;
    sum.online += live.figures.online[i] ?? 0;
    sum.flow += live.figures.flowRate[i] ?? 0;
  }
  return { kind: 'cluster', x, y, props: sum };
}

function describe(node: ScopeNode | undefined): string {
  const where = !node || node.kind === 'global' ? 'the world' : node.name;
  return (
    `Map of sites in ${where}, coloured by online share. Arrow keys pan, plus and minus zoom. ` +
    'The list of places below the charts opens the same places as a click on the map.'
  );
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
}

/**
 * The box to frame a scope in: around most of its sites, so one far-flung site (Vladivostok in
 * Europe, Honolulu in the United States) does not shrink the rest to a corner.
 */
export function boundsOf(
  node: ScopeNode | undefined,
  sites: readonly (ScopeNode | undefined)[],
): [number, number, number, number] {
  if (!node || node.kind === 'global') return WORLD;
  const lons: number[] = [];
  const lats: number[] = [];
  for (let i = node.siteStart; i < node.siteStart + node.siteCount; i++) {
    const site = sites[i];
    if (site) {
      lons.push(site.lon);
      lats.push(site.lat);
    }
  }
  if (lons.length === 0) return WORLD;
  lons.sort((a, b) => a - b);
  lats.sort((a, b) => a - b);
  const q = lons.length >= 20 ? 0.04 : 0;
  const pad = node.kind === 'site' ? 3 : 1.5;
  return [
    quantile(lons, q) - pad,
    Math.max(-80, quantile(lats, q) - pad),
    quantile(lons, 1 - q) + pad,
    Math.min(84, quantile(lats, 1 - q) + pad),
  ];
}

/**
 * MapLibre wrapped the way react-map-gl does: the map is created in an effect and removed on
 * cleanup; changed props are pushed in layout effects; live figures update the site source's
 * data in place (only what changed), the layers are never rebuilt.
 */
export default function WorldMap({
  tree,
  scope,
  tick,
  units,
  basemap,
  onSelect,
  period = null,
}: WorldMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const [hover, setHover] = useState<HoverTarget | null>(null);
  const [movedByPerson, setMovedByPerson] = useState(false);
  const ownBasemap = useRef(basemap === null);
  const select = useRef(onSelect);
  const sites = useMemo(() => sitesInOrder(tree.byId.values()), [tree]);
  // A new scope is framed when its first figures arrive, together with its sites. Each change
  // of the map is a frame that software WebGL takes 100–250 ms to draw here: framed on the click,
  // the map drew the new place with no sites, then again with them, and the new scope's KPIs
  // waited behind both frames. The socket answers a subscription within milliseconds.
  const [framedScope, setFramedScope] = useState(scope);
  const waiting = framedScope !== scope;
  if (waiting && (period ? period.scope : tick?.scope) === scope) setFramedScope(scope);
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => setFramedScope(scope), FRAME_WITHOUT_FIGURES_MS);
    return () => clearTimeout(timer);
  }, [waiting, scope]);
  const node = tree.byId.get(framedScope);
  const known = useRef(tree);
  useLayoutEffect(() => {
    select.current = onSelect;
    known.current = tree;
  });
  // The scope's frame, re-applied when the box resizes until the person moves the map.
  const frame = useRef(WORLD);
  const moved = useRef(false);
  // The box resizes on a scope switch too (the charts beside it change height); that redraw
  // waits for the new scope's frame, so the switch draws the map once.
  const holdResize = useRef(false);
  const resizeHeld = useRef(false);
  useLayoutEffect(() => {
    holdResize.current = waiting;
    if (!waiting && resizeHeld.current && map) {
      resizeHeld.current = false;
      map.resize();
    }
  }, [waiting, map]);

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const palette = readMapPalette();
    const m = new maplibregl.Map({
      container: el,
      style: basemap ? withOverlay(basemap, countries, palette) : mapStyle(countries, palette),
      bounds: WORLD,
      fitBoundsOptions: FIT,
      attributionControl: { compact: true, customAttribution: 'Natural Earth' },
      dragRotate: false,
      pitchWithRotate: false,
      // One world: repeated continents on a wide wall confuse more than the clipped tip of
      // Chukotka (rings east of 180° are unwrapped and drawn up to the edge).
      renderWorldCopies: false,
      maxZoom: 9,
      // Resizes are followed below, as MapLibre's own observer would, but can be held back.
      trackResize: false,
    });
    m.touchZoomRotate.disableRotation();
    m.keyboard.disableRotation();
    // Zoom buttons for those without a wheel; keyboard users also have + and − on the canvas.
    m.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    const onLoad = () => setMap(m);
    m.on('load', onLoad);
    const byPerson = (e: { originalEvent?: unknown }) => {
      if (e.originalEvent) {
        moved.current = true;
        setMovedByPerson(true);
      }
    };
    m.on('dragstart', byPerson);
    m.on('zoomstart', byPerson);
    m.on('resize', () => {
      if (!moved.current) m.fitBounds(frame.current, FIT);
    });
    let size = [el.clientWidth, el.clientHeight].join('x');
    const resizes =
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver(() => {
            const now = [el.clientWidth, el.clientHeight].join('x');
            if (now === size) return;
            size = now;
            if (holdResize.current) {
              resizeHeld.current = true;
              return;
            }
            m.resize();
            m.redraw();
          });
    resizes?.observe(el);
    m.on('mousemove', (e) => {
      const [site] = m.queryRenderedFeatures(e.point, { layers: SITE_AND_CLUSTER_LAYERS });
      const [country] = site
        ? []
        : m.queryRenderedFeatures(e.point, { layers: [COUNTRY_LAYERS.fill] });
      m.getCanvas().style.cursor = site || country?.properties.iso2 ? 'pointer' : '';
      const id = country?.id;
      m.setFilter(COUNTRY_LAYERS.hover, ['==', ['id'], typeof id === 'number' ? id : -1]);
      if (site?.properties.cluster) {
        const props = site.properties as ClusterProperties;
        const { x, y } = e.point;
        setHover((h) =>
          h?.kind === 'cluster' && h.props.cluster_id === props.cluster_id
            ? { ...h, x, y }
            : { kind: 'cluster', x, y, props, leaves: null },
        );
        // The group's sites, to sum their live flow (the source does not carry it per tick).
        const source = m.getSource<maplibregl.GeoJSONSource>(SITE_LAYERS.source);
        void source
          ?.getClusterLeaves(props.cluster_id, props.point_count, 0)
          .then((leaves) => {
            const ids = leaves.map((f) => Number(f.id));
            setHover((h) =>
              h?.kind === 'cluster' && h.props.cluster_id === props.cluster_id && !h.leaves
                ? { ...h, leaves: ids }
                : h,
            );
          })
          .catch(() => {}); // regrouped meanwhile: the next move asks again
      } else if (site) {
        setHover({
          kind: 'site',
          x: e.point.x,
          y: e.point.y,
          id: Number(site.id),
          props: site.properties as SiteProperties,
        });
      } else if (country) {
        const iso2 = String(country.properties.iso2 ?? '');
        const inTree = known.current.byId.get(`country:${iso2}`);
        setHover({
          kind: 'country',
          x: e.point.x,
          y: e.point.y,
          name: inTree?.name ?? String(country.properties.name),
          known: inTree !== undefined,
        });
      } else setHover(null);
    });
    m.on('mouseout', () => {
      setHover(null);
      m.setFilter(COUNTRY_LAYERS.hover, ['==', ['id'], -1]);
    });
    m.on('click', (e) => {
      const [site] = m.queryRenderedFeatures(e.point, { layers: SITE_AND_CLUSTER_LAYERS });
      if (site?.properties.cluster) {
        // A group of sites opens up: zoom to where it splits.
        const source = m.getSource<maplibregl.GeoJSONSource>(SITE_LAYERS.source);
        const center = (site.geometry as Point).coordinates as [number, number];
        moved.current = true;
        setMovedByPerson(true);
        void source
          ?.getClusterExpansionZoom(Number(site.properties.cluster_id))
          .then((zoom) => m.easeTo({ center, zoom: Math.max(zoom, CLUSTER_MAX_ZOOM + 1) }))
          .catch(() => m.easeTo({ center, zoom: CLUSTER_MAX_ZOOM + 1 }));
        return;
      }
      if (site) return select.current(String(site.properties.scope));
      const [country] = m.queryRenderedFeatures(e.point, { layers: [COUNTRY_LAYERS.fill] });
      const iso2 = String(country?.properties.iso2 ?? '');
      if (iso2 && known.current.byId.has(`country:${iso2}`)) select.current(`country:${iso2}`);
    });
    const unexpose = exposeMapProjection((lon, lat) => {
      const p = m.project([lon, lat]);
      const r = el.getBoundingClientRect();
      return [r.left + p.x, r.top + p.y];
    });
    // The offline basemap follows the page's theme.
    const unwatch = watchTheme(() => {
      if (!m.isStyleLoaded()) return;
      for (const [layer, property, value] of paletteChanges(readMapPalette())) {
        const mine = layer === SITE_LAYERS.circles || layer === SITE_LAYERS.clusters;
        if ((ownBasemap.current || mine) && m.getLayer(layer)) {
          m.setPaintProperty(layer, property, value);
        }
      }
    });
    return () => {
      resizes?.disconnect();
      unwatch();
      unexpose();
      m.remove();
      setMap(null);
    };
    // The basemap is fixed for the map's life (map-panel.tsx keys the map by it).
  }, []);

  // Follow the scope: frame it, and mark it on the map.
  useLayoutEffect(() => {
    if (!map) return;
    frame.current = boundsOf(node, sites);
    moved.current = false;
    setMovedByPerson(false);
    map.fitBounds(frame.current, FIT);
    map.getCanvas().setAttribute('aria-label', describe(node));
    const iso2 = node?.kind === 'country' ? (node.id.split(':')[1] ?? '') : (node?.country ?? '');
    map.setFilter(COUNTRY_LAYERS.selected, ['==', ['get', 'iso2'], iso2]);
  }, [map, node, sites]);

  const live = useMemo((): LiveSites | null => {
    if (period) {
      if (period.scope !== scope) return null;
      return {
        sites,
        tick: { sites: { ...period.sites, data: NO_BYTES } },
        figures: period.figures,
      };
    }
    if (!tick || tick.scope !== scope) return null;
    const figures = decodeTickSites(tick);
    return figures ? { sites, tick, figures } : null;
  }, [period, tick, scope, sites]);

  // What the site source was last built from. A tick usually changes the drawn figures (devices,
  // online) of a few sites or none, and the flow of nearly all, which is not drawn. So only the
  // sites that changed are sent, and a tick that changes nothing drawn costs the map nothing: no
  // worker message, no tile reload, no frame. setData(2,000+ features) on every tick copied
  // them all to the worker (5–10 ms of the main thread here) and redrew the map.
  const sent = useRef<{ map: maplibregl.Map; scope: string; sites: SentSites | null } | null>(null);
  useLayoutEffect(() => {
    // Until the new scope is framed, the map keeps showing the old one as it was.
    if (!map || waiting) return;
    const source = map.getSource<maplibregl.GeoJSONSource>(SITE_LAYERS.source);
    if (!source) return;
    const last = sent.current?.map === map ? sent.current.sites : undefined;
    if (!live) {
      // No figures of this scope now, though it is drawn: the view was just changed (its first
      // tick is on its way), or a tick of the next scope came before the map was told of it
      // (app.tsx renders the map after the figures). What is drawn stays until then.
      if (!period && sent.current?.map === map && sent.current.scope === scope) return;
      if (last !== null) void source.setData(EMPTY);
      sent.current = { map, scope, sites: null };
      return;
    }
    const diff = last ? siteDiff(last, live.sites, live.tick, live.figures) : null;
    if (diff === null) void source.setData(siteCollection(live.sites, live.tick, live.figures));
    else if (!isEmptyDiff(diff)) void source.updateData(diff);
    sent.current = { map, scope, sites: sentSites(live.sites, live.tick, live.figures) };
  }, [map, live, waiting, period, scope]);

  const shownHover = useMemo(() => (hover ? liveHover(hover, live) : null), [hover, live]);

  return (
    <div className="world-map__canvas" ref={container} data-ready={map ? 'true' : undefined}>
      {shownHover ? <MapTooltip hover={shownHover} units={units} /> : null}
      {map && movedByPerson ? (
        <button
          type="button"
          className="world-map__reset"
          onClick={() => {
            moved.current = false;
            setMovedByPerson(false);
            map.fitBounds(frame.current, { ...FIT, duration: 300 });
          }}
        >
          Fit {!node || node.kind === 'global' ? 'the world' : node.name}
        </button>
      ) : null}
      {map ? null : (
        // The chunk is here but software WebGL can take seconds to draw the first frame.
        <p className="world-map__message world-map__message--over" role="status">
          Drawing the map…
        </p>
      )}
    </div>
  );
}
