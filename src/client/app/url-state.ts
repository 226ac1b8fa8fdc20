// State a person would share lives in the URL: ?scope=region:europe&kiosk=1&units=bits&theme=light
import {
  DEVICE_CLASSES,
  STATUSES,
  TECHNOLOGIES,
  type DeviceClass,
  type DeviceStatus,
  type Technology,
} from '../../protocol/dimensions.ts';
import type { SubscribeRequest } from '../../protocol/live.ts';
import { parseScopeId } from '../../protocol/scopes.ts';
import { parseTimeParam } from '../../protocol/time-param.ts';
import type { RateUnit } from '../format/numbers.ts';
import { parseThemeChoice, type ThemeChoice } from './theme.ts';

export interface UrlState {
  /** Canonical scope id (country codes upper-cased); a malformed id is kept for the server to refuse. */
  scope: string;
  kiosk: boolean;
  units: RateUnit;
  /** 'auto' follows the system's light/dark setting (dark in kiosk mode). */
  theme: ThemeChoice;
  /** Filters (?tech=lorawan,wifi&class=vehicle): empty = all. */
  tech: Technology[];
  cls: DeviceClass[];
  /** Statuses kept (?status=offline): empty = all. Applied in the browser (see status-view.ts). */
  status: DeviceStatus[];
  /** The charts' live window (?range=6h); default the last hour. */
  range: LiveRange;
  /** Times shown in the browser's zone, UTC or the site's own (?tz=utc|site). */
  tz: ZoneChoice;
}

export type ZoneChoice = 'browser' | 'utc' | 'site';

/** Live windows the charts can show, ending now. */
export const LIVE_RANGES = {
  '15m': { ms: 15 * 60_000, label: 'Last 15 minutes', short: '15 min' },
  '1h': { ms: 60 * 60_000, label: 'Last hour', short: '1 h' },
  '6h': { ms: 6 * 60 * 60_000, label: 'Last 6 hours', short: '6 h' },
  '24h': { ms: 24 * 60 * 60_000, label: 'Last 24 hours', short: '24 h' },
} as const;
export type LiveRange = keyof typeof LIVE_RANGES;

/** Past ranges, ending when asked for: history only, summarised by the tiles. */
export const PAST_RANGES = {
  '7d': { ms: 7 * 86_400_000, label: 'Last 7 days', short: '7 d' },
  '30d': { ms: 30 * 86_400_000, label: 'Last 30 days', short: '30 d' },
  '90d': { ms: 90 * 86_400_000, label: 'Last 90 days', short: '90 d' },
} as const;
export type PastRange = keyof typeof PAST_RANGES;

/** A stretch of the past the page shows instead of live figures. */
export interface Period {
  from: number;
  to: number;
  label: string;
}

/**
 * The period the URL asks for: ?range=7d (ending now) or ?from=…&to=… (a custom one); null for
 * live. A bad custom range says why, and the page stays live.
 */
export function parsePeriod(
  search: string,
  now: number,
): { period: Period | null; problem: string | null } {
  const p = new URLSearchParams(search);
  const range = p.get('range') ?? '';
  if (range in PAST_RANGES) {
    const r = PAST_RANGES[range as PastRange];
    return { period: { from: now - r.ms, to: now, label: r.label }, problem: null };
  }
  if (!p.has('from') && !p.has('to')) return { period: null, problem: null };
  const from = parseTimeParam(p.get('from') ?? '');
  const to = p.has('to') ? parseTimeParam(p.get('to') ?? '') : now;
  if (from === null || to === null) {
    return {
      period: null,
      problem: 'The link’s from/to is not a date and time: showing live figures.',
    };
  }
  if (from >= to) {
    return {
      period: null,
      problem: 'The link’s range ends before it starts: showing live figures.',
    };
  }
  return { period: { from, to: Math.min(to, now), label: 'Custom range' }, problem: null };
}

/** The known values of a comma-separated list parameter, in their canonical order. */
function listParam<T extends string>(raw: string | null, values: readonly T[]): T[] {
  const given = new Set((raw ?? '').split(',').map((s) => s.trim()));
  return values.filter((v) => given.has(v));
}

const URL_CHANGE = 'meridian:urlchange';
const TRUE = new Set(['1', 'true', 'yes', 'on']);

export function parseUrlState(search: string): UrlState {
  const params = new URLSearchParams(search);
  const raw = params.get('scope')?.trim() || 'global';
  return {
    scope: parseScopeId(raw)?.id ?? raw,
    kiosk: TRUE.has(params.get('kiosk')?.toLowerCase() ?? ''),
    units: params.get('units') === 'bits' ? 'bits' : 'bytes',
    theme: parseThemeChoice(params.get('theme')),
    tech: listParam(params.get('tech'), TECHNOLOGIES),
    cls: listParam(params.get('class'), DEVICE_CLASSES),
    status: listParam(params.get('status'), STATUSES),
    range: (params.get('range') ?? '') in LIVE_RANGES ? (params.get('range') as LiveRange) : '1h',
    tz: params.get('tz') === 'utc' ? 'utc' : params.get('tz') === 'site' ? 'site' : 'browser',
  };
}

/** The live view the URL asks for: its scope, filtered by technology and class. */
export function liveView(state: Pick<UrlState, 'scope' | 'tech' | 'cls'>): SubscribeRequest {
  const filter = {
    ...(state.tech.length ? { tech: state.tech } : {}),
    ...(state.cls.length ? { class: state.cls } : {}),
  };
  return { scope: state.scope, ...(state.tech.length || state.cls.length ? { filter } : {}) };
}

/** The query string with some parameters set (or removed with null), others kept. */
export function withParams(search: string, changes: Record<string, string | null>): string {
  const params = new URLSearchParams(search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) params.delete(key);
    else params.set(key, value);
  }
  // ':' is legal in a query and keeps ids readable: ?scope=region:europe, not region%3Aeurope.
  const text = params.toString().replace(/%3A/gi, ':');
  return text ? `?${text}` : '?';
}

/** Moves to another query string without reloading and tells subscribers. */
export function navigate(search: string): void {
  if (search === window.location.search) return;
  window.history.pushState(null, '', search === '?' ? window.location.pathname : search);
  window.dispatchEvent(new Event(URL_CHANGE));
}

export function subscribeToUrl(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(URL_CHANGE, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(URL_CHANGE, listener);
  };
}
