import { formatDateTime } from '../format/time.ts';
import type { Series } from '../history/series.ts';

export interface ChartCsvHeader {
  /** "Europe (region:europe)". */
  scope: string;
  filters: string;
  range: string;
  /** The zone the times are written in (IANA), and its label. */
  timeZone: string;
}

const COLUMNS = [
  'bucket_start',
  'devices',
  'online',
  'degraded',
  'msg_rate',
  'bytes_in_rate',
  'bytes_out_rate',
] as const;

/** What the charts show as CSV: one row per bucket (means over it), with # lines saying what. */
export function chartCsv(series: Series, h: ChartCsvHeader): string {
  const cell = (v: number | null) => (v === null ? '' : String(Math.round(v * 1000) / 1000));
  const lines = [
    '# Meridian chart data',
    `# scope: ${h.scope}`,
    `# filters: ${h.filters || 'none'}`,
    `# range: ${h.range}; one row per ${series.stepMs / 1000} s bucket, mean of each figure`,
    `# time zone: ${h.timeZone}`,
    COLUMNS.join(','),
  ];
  for (const p of series.points) {
    if (p.weight === 0) continue;
    lines.push(
      [
        `"${formatDateTime(p.t, h.timeZone)}"`,
        cell(p.devices),
        cell(p.online),
        cell(p.degraded),
        cell(p.msgRate),
        cell(p.bytesInRate),
        cell(p.bytesOutRate),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
