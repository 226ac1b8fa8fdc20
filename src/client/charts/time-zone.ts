import { displayZone } from '../format/display-zone.ts';

// Building an Intl.DateTimeFormat costs far more than formatting with one (it resolves the
// locale and the zone's rules), and the axes format every label on every render: one formatter
// per zone, built once.
const labelFormats = new Map<string, Intl.DateTimeFormat>();
const axisFormats = new Map<string, Intl.DateTimeFormat>();

function cached(
  cache: Map<string, Intl.DateTimeFormat>,
  timeZone: string | undefined,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  // The browser's zone is keyed as '' so a change of it (rare) is not followed; a reload is.
  const key = timeZone ?? '';
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone });
    cache.set(key, format);
  }
  return format;
}

/** The short name of a time zone as people read it on a clock: "UTC", "CET", "GMT+2". */
export function timeZoneLabel(
  timeZone: string | undefined = displayZone(),
  at = Date.now(),
): string {
  const parts = cached(labelFormats, timeZone, { timeZoneName: 'short' }).formatToParts(at);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? 'local time';
}

/** "14:05" in the given zone (the browser's by default), for axis ticks. */
export function formatAxisTime(
  epochMs: number,
  timeZone: string | undefined = displayZone(),
): string {
  return cached(axisFormats, timeZone, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(epochMs);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** "27 Nov" in the given zone, for the ticks of a range of days. */
export function formatAxisDate(
  epochMs: number,
  timeZone: string | undefined = displayZone(),
): string {
  return cached(dateFormats, timeZone, { day: 'numeric', month: 'short' }).format(epochMs);
}

/** Axis ticks every `everyMs` (aligned to the clock) inside [from, to]. */
export function timeTicks(from: number, to: number, everyMs: number): number[] {
  const ticks: number[] = [];
  for (let t = Math.ceil(from / everyMs) * everyMs; t <= to; t += everyMs) ticks.push(t);
  return ticks;
}
