import type { ScopeIndex } from '../sites/scope-index.ts';
import type { DeviceDirectory } from './device-directory.ts';
import type { DeviceSnapshot } from './device-snapshot.ts';

/** Rows per piece of the stream; the event loop gets a turn between pieces. */
const CHUNK_ROWS = 2000;

const COLUMNS = [
  'id',
  'site_id',
  'site',
  'country',
  'technology',
  'class',
  'source',
  'status',
  'since',
  'last_seen',
  'data_rate_bytes_per_s',
];

/** A CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Whether Intl knows the IANA zone. */
export function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** ISO 8601 local time in a zone, with its offset: 2026-11-27T01:41:51+01:00. */
export function isoInZone(tz: string): (ms: number) => string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  });
  return (ms) => {
    const p: Record<string, string> = {};
    for (const part of format.formatToParts(ms)) p[part.type] = part.value;
    const raw = (p.timeZoneName ?? '').replace('GMT', '');
    const offset = raw === '' || raw === '+00:00' ? 'Z' : raw;
    return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offset}`;
  };
}

export interface CsvHeader {
  scope: string;
  filters: string;
  sort: string;
  tz: string;
}

/** The list as CSV: `#` lines saying what it is, the column names, then one line per device. */
export async function* deviceCsv(
  s: DeviceSnapshot,
  directory: DeviceDirectory,
  scopes: ScopeIndex,
  h: CsvHeader,
): AsyncGenerator<string> {
  const time = isoInZone(h.tz);
  yield [
    '# Meridian device list',
    `# scope: ${h.scope}`,
    `# filters: ${h.filters || 'none'}`,
    `# sorted by: ${h.sort}`,
    `# as of: ${time(s.at)} (${h.tz}); times below are in ${h.tz}`,
    `# devices: ${s.size}`,
    COLUMNS.join(','),
    '',
  ].join('\n');
  for (let start = 0; start < s.size; start += CHUNK_ROWS) {
    const lines: string[] = [];
    const end = Math.min(s.size, start + CHUNK_ROWS);
    for (let i = start; i < end; i++) {
      const r = directory.rowOf(s, s.rows[i]!);
      const site = r.site ? scopes.resolve(r.site) : null;
      lines.push(
        [
          r.id,
          r.site,
          site?.name ?? 'Unassigned',
          site?.country ?? null,
          r.tech,
          r.class,
          r.source,
          r.status,
          r.since === null ? null : time(r.since),
          r.lastSeen === null ? null : time(r.lastSeen),
          r.rate === null ? null : Math.round(r.rate * 1000) / 1000,
        ]
          .map(csvField)
          .join(','),
      );
    }
    yield `${lines.join('\n')}\n`;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
