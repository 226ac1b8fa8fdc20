import { displayZone } from './display-zone.ts';

// A formatter is costly to build and cheap to use; several clocks on screen format every tick.
const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** Times on screen always carry their time zone: "14:02:07 CET" (the page's zone by default). */
export function formatClock(
  epochMs: number,
  locale?: string,
  timeZone: string | undefined = displayZone(),
): string {
  const key = `${locale ?? ''}|${timeZone ?? ''}`;
  let format = clockFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
      timeZone,
    });
    clockFormats.set(key, format);
  }
  return format.format(epochMs);
}

/** A short age for "last tick … ago": "0 s", "42 s", "3 min", "2 h 05 min", "3 d 4 h". */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}\u00a0s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min}\u00a0min`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h}\u00a0h\u00a0${String(min % 60).padStart(2, '0')}\u00a0min`;
  return `${Math.floor(h / 24)}\u00a0d\u00a0${h % 24}\u00a0h`;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Date and time with the zone: "27 Nov 2026, 01:13:48 UTC" (the page's zone by default). */
export function formatDateTime(
  epochMs: number,
  timeZone: string | undefined = displayZone(),
): string {
  const key = timeZone ?? '';
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, {
      dateStyle: 'medium',
      timeStyle: 'long',
      hourCycle: 'h23',
      timeZone,
    });
    dateFormats.set(key, format);
  }
  return format.format(epochMs);
}
