import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type MeridianServer } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/core/config.ts';
import { openSqliteDeviceStore } from '../../src/server/storage/sqlite-device-store.ts';
import { openSqliteStore } from '../../src/server/storage/sqlite-store.ts';
import type { HistoryStore } from '../../src/server/storage/store.ts';

let dir: string;
let server: MeridianServer;
let store: HistoryStore;
let devices: ReturnType<typeof openSqliteDeviceStore>;
// An asset the size of a real chunk, as repetitive as minified code.
const script = Array.from({ length: 4000 }, (_, i) => `export const v${i}=f(${i});`).join('\n');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'meridian-compress-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Meridian</title>');
  writeFileSync(join(dir, 'assets', 'app-abc123.js'), script);
  store = openSqliteStore(join(dir, 'meridian.db'));
  devices = openSqliteDeviceStore(join(dir, 'devices.db'));
  const config = loadConfig({ SIM_DEVICES: '1000', BACKFILL_DAYS: '0' });
  server = await buildServer({ config, store, devices, staticDir: dir });
});
afterAll(async () => {
  await server.app.close();
  store.close();
  devices.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('compressed answers', () => {
  it('sends the SPA’s scripts compressed to a browser that accepts it, and plain to one that does not', async () => {
    const br = await server.app.inject({
      url: '/assets/app-abc123.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toContain('immutable');
    expect(br.rawPayload.byteLength).toBeLessThan(script.length / 4);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(script);

    const plain = await server.app.inject({ url: '/assets/app-abc123.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
  });

  it('sends the scope tree gzipped when only gzip is accepted', async () => {
    const plain = await server.app.inject({ url: '/api/v1/scopes' });
    const gz = await server.app.inject({
      url: '/api/v1/scopes',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gz.statusCode).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-type']).toMatch(/application\/json/);
    expect(gz.rawPayload.byteLength).toBeLessThan(plain.rawPayload.byteLength / 4);
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString())).toEqual(plain.json());
  });

  it('leaves small answers and errors readable', async () => {
    const missing = await server.app.inject({
      url: '/api/v1/nothing-here',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-encoding']).toBeUndefined();
    expect(missing.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
