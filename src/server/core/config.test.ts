import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has the embedded defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: './data',
      tickMs: 1000,
      checkOrigin: false,
      simulator: { enabled: true, devices: 100_000, scenario: 'default' },
    });
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        TICK_MS: '300',
        SIM_DEVICES: '-5',
        SIM_SCENARIO: 'mars',
        ALLOWED_ORIGINS: 'not a url',
        MAP_STYLE_URL: 'tiles.example.com/style.json',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of [
      'PORT',
      'TICK_MS',
      'SIM_DEVICES',
      'SIM_SCENARIO',
      'ALLOWED_ORIGINS',
      'MAP_STYLE_URL',
    ]) {
      expect(message).toContain(name);
    }
    expect(message).toContain('"eighty"');
    expect(message).toMatch(/TICK_MS: must divide 1000/);
  });

  it('accepts tick intervals that divide or are multiples of a second', () => {
    expect(loadConfig({ TICK_MS: '250', TICK_GRACE_MS: '50' }).tickMs).toBe(250);
    expect(loadConfig({ TICK_MS: '5000' }).tickMs).toBe(5000);
    expect(() => loadConfig({ TICK_MS: '100', TICK_GRACE_MS: '1000' })).toThrow(/TICK_GRACE_MS/);
  });

  it('checks origins only when listening beyond loopback', () => {
    expect(loadConfig({ HOST: '::1' }).checkOrigin).toBe(false);
    expect(loadConfig({ HOST: 'localhost' }).checkOrigin).toBe(false);
    const wide = loadConfig({
      HOST: '0.0.0.0',
      ALLOWED_ORIGINS: 'https://a.example, https://b.example:8443',
    });
    expect(wide.checkOrigin).toBe(true);
    expect(wide.allowedOrigins).toEqual(['https://a.example', 'https://b.example:8443']);
  });

  it('reads booleans people write', () => {
    expect(loadConfig({ SIM_ENABLED: 'off' }).simulator.enabled).toBe(false);
    expect(loadConfig({ SIM_ENABLED: 'TRUE' }).simulator.enabled).toBe(true);
    expect(() => loadConfig({ SIM_ENABLED: 'maybe' })).toThrow(/SIM_ENABLED/);
  });
});
