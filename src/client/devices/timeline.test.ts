import { describe, expect, it } from 'vitest';
import type { DeviceResponse, DeviceRow } from '../../protocol/devices.ts';
import { timelineSegments } from './timeline.ts';

const H = 3_600_000;
const device = (over: Partial<DeviceRow>): DeviceRow => ({
  id: 'd-1',
  site: 'site:fr-paris',
  tech: 'lte-m',
  class: 'vehicle',
  source: 'mqtt',
  status: 'online',
  since: null,
  lastSeen: null,
  rate: null,
  ...over,
});
const answer = (over: Partial<DeviceResponse>): DeviceResponse => ({
  device: device({}),
  firstSeen: 0,
  from: 0,
  to: 24 * H,
  transitions: [],
  truncated: false,
  watchedSince: -48 * H,
  traffic: null,
  ...over,
});

describe('timelineSegments', () => {
  it('draws each logged change, unknown before the first one', () => {
    const segs = timelineSegments(
      answer({
        device: device({ status: 'online', since: 20 * H }),
        transitions: [
          { t: 2 * H, status: 'online' },
          { t: 10 * H, status: 'offline' },
          { t: 20 * H, status: 'online' },
        ],
      }),
    );
    expect(segs).toEqual([
      { start: 0, end: 2 * H, status: 'unknown' },
      { start: 2 * H, end: 10 * H, status: 'online' },
      { start: 10 * H, end: 20 * H, status: 'offline' },
      { start: 20 * H, end: 24 * H, status: 'online' },
    ]);
  });

  it('fills the whole range with a status that began before it', () => {
    expect(timelineSegments(answer({ device: device({ status: 'degraded', since: -H }) }))).toEqual(
      [{ start: 0, end: 24 * H, status: 'degraded' }],
    );
  });

  it('adds a live change the log has not written yet', () => {
    const segs = timelineSegments(
      answer({
        device: device({ status: 'offline', since: 23 * H }),
        transitions: [{ t: 5 * H, status: 'online' }],
      }),
    );
    expect(segs.slice(-2)).toEqual([
      { start: 5 * H, end: 23 * H, status: 'online' },
      { start: 23 * H, end: 24 * H, status: 'offline' },
    ]);
  });

  it('holds a status with no start since the server began watching, unknown before', () => {
    expect(timelineSegments(answer({ watchedSince: 6 * H }))).toEqual([
      { start: 0, end: 6 * H, status: 'unknown' },
      { start: 6 * H, end: 24 * H, status: 'online' },
    ]);
    expect(timelineSegments(answer({}))).toEqual([{ start: 0, end: 24 * H, status: 'online' }]);
  });
});
