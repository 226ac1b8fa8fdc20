import { REGIONS, type Region } from './dimensions.ts';

export type ScopeKind = 'global' | 'region' | 'country' | 'site';

/** A parsed scope id: `global`, `region:<slug>`, `country:<ISO alpha-2>` or `site:<id>`. */
export type ParsedScope =
  | { kind: 'global'; id: 'global' }
  | { kind: 'region'; id: string; region: Region }
  | { kind: 'country'; id: string; country: string }
  | { kind: 'site'; id: string; site: string };

const SITE_ID = /^[a-z0-9][a-z0-9-]{0,80}$/;

/**
 * Parses a scope id, normalising the country code to upper case. Returns null for anything
 * that is not a well-formed id; whether the scope exists is the scope index's question.
 */
export function parseScopeId(raw: string): ParsedScope | null {
  if (raw === 'global') return { kind: 'global', id: 'global' };
  const colon = raw.indexOf(':');
  if (colon < 0) return null;
  const kind = raw.slice(0, colon);
  const key = raw.slice(colon + 1);
  switch (kind) {
    case 'region':
      return (REGIONS as readonly string[]).includes(key)
        ? { kind: 'region', id: raw, region: key as Region }
        : null;
    case 'country': {
      if (!/^[A-Za-z]{2}$/.test(key)) return null;
      const country = key.toUpperCase();
      return { kind: 'country', id: `country:${country}`, country };
    }
    case 'site':
      return SITE_ID.test(key) ? { kind: 'site', id: raw, site: key } : null;
    default:
      return null;
  }
}

/**
 * One node of the scope tree as `GET /api/v1/scopes` lists it. The list is in depth-first
 * order (global, each region, its countries, their sites) and that order is stable: a tick's
 * site figures follow the sites' order, starting at `siteStart` and covering `siteCount` sites.
 */
export interface ScopeNode {
  id: string;
  kind: ScopeKind;
  name: string;
  parent: string | null;
  lat: number;
  lon: number;
  /** [west, south, east, north] of the scope's sites, for fitting a map. */
  bbox: [number, number, number, number];
  siteStart: number;
  siteCount: number;
  /** Sites only. */
  timeZone?: string;
  population?: number;
  country?: string;
  /**
   * `site:unassigned` only (present when a real source is configured): devices that could not
   * be placed at a site. It has no place on a map; its lat/lon mean nothing.
   */
  unplaced?: true;
}

export interface ScopesResponse {
  scopes: ScopeNode[];
}
