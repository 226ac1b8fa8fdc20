/** The short name of a time zone as people read it on a clock: "UTC", "CET", "GMT+2". */
export function timeZoneLabel(timeZone?: string, at = Date.now()): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'short' }).formatToParts(
    at,
  );
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? 'local time';
}

/** "14:05" in the given zone (the browser's by default), for axis ticks. */
export function formatAxisTime(epochMs: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(epochMs);
}

/** Axis ticks every `everyMs` (aligned to the clock) inside [from, to]. */
export function timeTicks(from: number, to: number, everyMs: number): number[] {
  const ticks: number[] = [];
  for (let t = Math.ceil(from / everyMs) * everyMs; t <= to; t += everyMs) ticks.push(t);
  return ticks;
}
