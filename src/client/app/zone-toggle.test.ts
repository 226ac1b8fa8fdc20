import { describe, expect, it } from 'vitest';
import type { ScopeNode } from '../../protocol/scopes.ts';
import { formatClock } from '../format/time.ts';
import { setDisplayZone } from '../format/display-zone.ts';
import { parseUrlState } from './url-state.ts';
import { zoneFor } from './zone-toggle.tsx';

const tokyo = {
  id: 'site:jp-tokyo',
  kind: 'site',
  name: 'Tokyo',
  timeZone: 'Asia/Tokyo',
} as ScopeNode;
const japan = { id: 'country:JP', kind: 'country', name: 'Japan' } as ScopeNode;

describe('time zone choice', () => {
  it('reads ?tz and resolves it for the scope', () => {
    expect(parseUrlState('?tz=utc').tz).toBe('utc');
    expect(parseUrlState('?tz=mars').tz).toBe('browser');
    expect(zoneFor('utc', japan)).toBe('UTC');
    expect(zoneFor('site', tokyo)).toBe('Asia/Tokyo');
    expect(zoneFor('site', japan)).toBeUndefined(); // not a site: the browser's zone
  });

  it('shows every clock in the chosen zone, with its name', () => {
    const t = Date.UTC(2026, 10, 27, 1, 0, 0);
    setDisplayZone('Asia/Tokyo');
    expect(formatClock(t, 'en-GB')).toBe('10:00:00 GMT+9');
    setDisplayZone('UTC');
    expect(formatClock(t, 'en-GB')).toBe('01:00:00 UTC');
    setDisplayZone(undefined);
  });
});
