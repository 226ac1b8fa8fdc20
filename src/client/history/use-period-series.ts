import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { ViewFilter } from '../../protocol/live.ts';
import type { Period } from '../app/url-state.ts';
import { useUrlState } from '../app/use-url-state.ts';
import { periodQueryOptions } from './api.ts';
import { seedFromHistory, type Series } from './series.ts';

export interface PeriodSeries {
  series: Series | null;
  /** False when history does not keep this view (a filter at a site, or by both dimensions). */
  kept: boolean;
  note: string | null;
  error: Error | null;
  loading: boolean;
}

/** A past period of one view at about `maxPoints` buckets (one-second weights, for summing). */
export function usePeriodSeries(
  scope: string,
  period: Period | null,
  filter: ViewFilter | null,
  maxPoints: number | null,
): PeriodSeries {
  const { status } = useUrlState();
  const query = useQuery({
    ...periodQueryOptions({
      scope,
      from: period?.from ?? 0,
      to: period?.to ?? 1,
      maxPoints: maxPoints ?? 1,
      filter,
      status,
    }),
    enabled: period !== null && maxPoints !== null,
  });
  const { data } = query;
  const series = useMemo(
    () =>
      data && period ? seedFromHistory(data, period.to - period.from + data.stepMs, 1000) : null,
    [data, period],
  );
  return {
    series,
    kept: data?.kept ?? true,
    note: data?.note ?? null,
    error: query.error,
    loading: query.isPending && query.fetchStatus !== 'idle',
  };
}
