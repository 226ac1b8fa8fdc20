import { describe, expect, it } from 'vitest';
import { liveView, parseUrlState, withParams } from './url-state.ts';

describe('parseUrlState', () => {
  it('defaults to the global scope, no kiosk, bytes, the dark theme', () => {
    const defaults = {
      scope: 'global',
      kiosk: false,
      units: 'bytes',
      theme: 'dark',
      tech: [],
      cls: [],
      status: [],
      range: '1h',
      tz: 'browser',
    };
    expect(parseUrlState('')).toEqual(defaults);
    expect(parseUrlState('?scope=')).toEqual(defaults);
  });

  it('reads the charts’ live window, the last hour unless a known one is given', () => {
    expect(parseUrlState('?range=6h').range).toBe('6h');
    expect(parseUrlState('?range=7d').range).toBe('1h');
  });

  it('reads filters in their canonical order, dropping unknown values', () => {
    const s = parseUrlState('?tech=wifi,lorawan,zigbee&class=vehicle');
    expect(s.tech).toEqual(['lorawan', 'wifi']);
    expect(s.cls).toEqual(['vehicle']);
    expect(liveView(s)).toEqual({
      scope: 'global',
      filter: { tech: ['lorawan', 'wifi'], class: ['vehicle'] },
    });
    expect(liveView(parseUrlState('?scope=country:fr'))).toEqual({ scope: 'country:FR' });
  });

  it('reads scope, kiosk, units and theme', () => {
    expect(parseUrlState('?scope=region:europe&kiosk=1&units=bits&theme=light')).toEqual({
      scope: 'region:europe',
      kiosk: true,
      units: 'bits',
      theme: 'light',
      tech: [],
      cls: [],
      status: [],
      range: '1h',
      tz: 'browser',
    });
    expect(parseUrlState('?theme=auto').theme).toBe('auto');
    expect(parseUrlState('?theme=sepia').theme).toBe('dark');
    expect(parseUrlState('?kiosk=0').kiosk).toBe(false);
  });

  it('canonicalises country codes and keeps malformed ids for the server to refuse', () => {
    expect(parseUrlState('?scope=country:de').scope).toBe('country:DE');
    expect(parseUrlState('?scope=atlantis').scope).toBe('atlantis');
  });
});

describe('withParams', () => {
  it('sets and removes parameters and keeps the others', () => {
    expect(withParams('?kiosk=1', { scope: 'country:DE' })).toBe('?kiosk=1&scope=country:DE');
    expect(withParams('?scope=global&units=bits', { units: null })).toBe('?scope=global');
    expect(withParams('?units=bits', { units: null })).toBe('?');
  });
});
