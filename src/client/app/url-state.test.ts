import { describe, expect, it } from 'vitest';
import { parseUrlState, withParams } from './url-state.ts';

describe('parseUrlState', () => {
  it('defaults to the global scope, no kiosk, bytes', () => {
    expect(parseUrlState('')).toEqual({ scope: 'global', kiosk: false, units: 'bytes' });
    expect(parseUrlState('?scope=')).toEqual({ scope: 'global', kiosk: false, units: 'bytes' });
  });

  it('reads scope, kiosk and units', () => {
    expect(parseUrlState('?scope=region:europe&kiosk=1&units=bits')).toEqual({
      scope: 'region:europe',
      kiosk: true,
      units: 'bits',
    });
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
