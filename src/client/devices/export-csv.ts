import { download } from '../app/download.ts';
import { ApiError } from '../app/fetch-json.ts';
import { displayZone } from '../format/display-zone.ts';

/** Lines before the first device: the # header lines and the column names. */
const HEADER_LINES = 7;

export interface ExportProgress {
  rows: number;
  total: number;
}

/**
 * Downloads a pinned device list as CSV, reading the stream so the page can show progress
 * (the server sends the number of rows ahead), then hands the file to the browser.
 */
export async function exportDevicesCsv(
  snapshotKey: string,
  onProgress: (p: ExportProgress) => void,
  signal?: AbortSignal,
): Promise<number> {
  const tz = displayZone() ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const params = new URLSearchParams({ snapshot: snapshotKey, tz });
  const res = await fetch(`/api/v1/devices.csv?${params.toString()}`, { signal });
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => null)) as {
      error?: { code: 'cursor_expired'; message: string };
    } | null;
    throw new ApiError(
      res.status,
      body?.error?.code ?? 'bad_response',
      body?.error?.message ?? `HTTP ${res.status}`,
    );
  }
  const total = Number(res.headers.get('x-total-rows') ?? 0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let lines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    for (const byte of value) if (byte === 10) lines++;
    onProgress({ rows: Math.max(0, Math.min(total, lines - HEADER_LINES)), total });
  }
  const name =
    /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ??
    'meridian-devices.csv';
  download(name, chunks as BlobPart[]);
  return total;
}
