import type { DeviceResponse } from '../../protocol/devices.ts';

export type TimelineStatus = 'online' | 'degraded' | 'offline' | 'absent' | 'unknown';

export interface TimelineSegment {
  start: number;
  end: number;
  status: TimelineStatus;
}

/**
 * The device's status over [from, to) as segments. Before its first logged change in the range
 * the status is known only if the live status began before `from`; otherwise it is "unknown".
 * A live status with no start has held at least since the server began watching.
 */
export function timelineSegments(d: DeviceResponse): TimelineSegment[] {
  const { from, to, transitions, device, watchedSince } = d;
  const out: TimelineSegment[] = [];
  let status: TimelineStatus =
    transitions.length === 0 && device.since !== null && device.since <= from
      ? device.status
      : 'unknown';
  let start = from;
  if (transitions.length === 0 && device.since === null) {
    if (watchedSince > from && watchedSince < to) {
      out.push({ start: from, end: watchedSince, status: 'unknown' });
      start = watchedSince;
    }
    out.push({ start, end: to, status: start >= to ? 'unknown' : device.status });
    return out.filter((s) => s.end > s.start);
  }
  for (const c of transitions) {
    const t = Math.min(Math.max(c.t, from), to);
    if (t > start) out.push({ start, end: t, status });
    start = Math.max(start, t);
    status = c.status;
  }
  // The log is written in batches: the live status may be newer than its last entry.
  if (device.since !== null && device.since > start && device.since < to) {
    out.push({ start, end: device.since, status });
    start = device.since;
    status = device.status;
  }
  if (to > start) out.push({ start, end: to, status });
  return out;
}
