import { describe, expect, it, vi } from 'vitest';
import { serviceUrl } from '../support/services.ts';

describe('serviceUrl', () => {
  it('returns the URL when it is set', () => {
    expect(
      serviceUrl('MERIDIAN_TEST_PG_URL', { MERIDIAN_TEST_PG_URL: 'postgres://x/y', CI: 'true' }),
    ).toBe('postgres://x/y');
  });

  it('skips with a message outside CI', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(serviceUrl('MERIDIAN_TEST_PG_URL', {})).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('MERIDIAN_TEST_PG_URL'));
    warn.mockRestore();
  });

  it('fails under CI=true, so CI cannot pass having tested nothing', () => {
    expect(() =>
      serviceUrl('MERIDIAN_TEST_MQTT_URL', { CI: 'true', MERIDIAN_TEST_MQTT_URL: ' ' }),
    ).toThrow(/MERIDIAN_TEST_MQTT_URL is not set/);
  });
});
