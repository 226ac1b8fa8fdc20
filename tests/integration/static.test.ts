import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
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
const BIG = `const figures = [${Array.from({ length: 2000 }, (_, i) => i % 97).join(',')}];\n`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'meridian-spa-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Meridian</title>');
  writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log(1)');
  // What the build writes beside a large file (vite.config.ts): brotli and gzip copies.
  const big = join(dir, 'assets', 'big-def456.js');
  writeFileSync(big, BIG);
  writeFileSync(`${big}.br`, brotliCompressSync(BIG));
  writeFileSync(`${big}.gz`, gzipSync(BIG));
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

describe('serving the SPA', () => {
  it('serves the index at / and for app routes, always revalidated', async () => {
    for (const url of ['/', '/?scope=region:europe', '/overview']) {
      const res = await server.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.body).toContain('<title>Meridian</title>');
    }
    expect((await server.app.inject({ url: '/' })).headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets as immutable JavaScript', async () => {
    const res = await server.app.inject({ url: '/assets/app-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('answers a missing asset with 404, not the index as HTML', async () => {
    const res = await server.app.inject({ url: '/assets/app-newer999.js' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('serves the assets of a build written while it runs, and nothing outside its folder', async () => {
    writeFileSync(join(dir, 'assets', 'app-rebuilt77.js'), 'console.log(2)');
    const res = await server.app.inject({ url: '/assets/app-rebuilt77.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toContain('immutable');
    expect(res.body).toBe('console.log(2)');
    for (const url of ['/assets/..%2f..%2fmeridian.db.js', '/..%2f..%2fetc%2fhostname.txt']) {
      const out = await server.app.inject({ url });
      expect(out.statusCode, url).toBe(404);
      expect(out.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    const malformed = await server.app.inject({ url: '/assets/%E0%A4%A.js' });
    expect(malformed.statusCode).toBe(400);
  });

  it("sends the build's brotli or gzip copy to a browser that accepts it, the file to others", async () => {
    const url = '/assets/big-def456.js';
    const br = await server.app.inject({
      url,
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers['cache-control']).toContain('immutable');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.rawPayload.length).toBeLessThan(BIG.length / 3);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(BIG);

    const gz = await server.app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(BIG);

    const plain = await server.app.inject({ url });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(BIG);
    // A file the build did not compress (too small to gain) is sent as it is.
    const small = await server.app.inject({
      url: '/assets/app-abc123.js',
      headers: { 'accept-encoding': 'br' },
    });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body).toBe('console.log(1)');
  });
});
