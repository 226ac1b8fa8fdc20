import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { ViewFilter } from '../../protocol/live.ts';
import type { PlaceFigures, PlacesResponse } from '../../protocol/places.ts';
import { fetchJson } from '../app/fetch-json.ts';
import type { Period } from '../app/url-state.ts';
import { useUrlState } from '../app/use-url-state.ts';
import { restrictKpis, statusSelection } from '../filters/status-view.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function isPlacesResponse(body: unknown): body is PlacesResponse {
  return (
    isRecord(body) &&
    typeof body.from === 'number' &&
    typeof body.to === 'number' &&
    isRecord(body.children) &&
    (body.sites === null || (isRecord(body.sites) && Array.isArray(body.sites.figures))) &&
    (body.breakdown === null || isRecord(body.breakdown))
  );
}

export function placesPath(scope: string, period: Period, filter: ViewFilter | null): string {
  const p = new URLSearchParams({
    scope,
    from: String(Math.floor(period.from)),
    to: String(Math.ceil(period.to)),
  });
  if (filter?.tech) p.set('tech', filter.tech.join(','));
  if (filter?.class) p.set('class', filter.class.join(','));
  return `/api/v1/history/places?${p.toString()}`;
}

export interface PeriodPlaces {
  data: PlacesResponse | null;
  error: Error | null;
  loading: boolean;
}

/**
 * A past period's figures per site, child and breakdown (GET /api/v1/history/places), with the
 * page's status filter applied as it is to ticks; null data outside a past period.
 */
export function usePeriodPlaces(
  scope: string,
  period: Period | null,
  filter: ViewFilter | null,
): PeriodPlaces {
  const { status } = useUrlState();
  const query = useQuery({
    queryKey: ['history', 'places', scope, period?.from, period?.to, filter] as const,
    queryFn: ({ signal }) =>
      fetchJson(placesPath(scope, period!, filter), isPlacesResponse, signal),
    enabled: period !== null,
    staleTime: 5 * 60_000,
  });
  const data = useMemo(() => {
    const raw = query.data;
    const selection = statusSelection(status);
    if (!raw || !selection) return raw ?? null;
    const restrict = (f: PlaceFigures): PlaceFigures => ({
      ...restrictKpis(f, selection),
      coverage: f.coverage,
    });
    const map = (r: Record<string, PlaceFigures>) =>
      Object.fromEntries(Object.entries(r).map(([k, f]) => [k, restrict(f)]));
    return {
      ...raw,
      sites: raw.sites && {
        ...raw.sites,
        figures: raw.sites.figures.map((f) => (f ? restrict(f) : null)),
      },
      children: map(raw.children),
      breakdown: raw.breakdown && {
        tech: map(raw.breakdown.tech),
        class: map(raw.breakdown.class),
      },
    };
  }, [query.data, status]);
  const loading = query.isPending && query.fetchStatus !== 'idle';
  const shown = period ? data : null;
  // One object per answer: the tables below memoise on it, and the page renders every tick.
  return useMemo(
    () => ({ data: shown, error: query.error, loading }),
    [shown, query.error, loading],
  );
}
