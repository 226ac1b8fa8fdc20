import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScopesResponse } from '../../src/protocol/scopes.ts';
import { startServer, type RunningServer } from '../support/server.ts';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server.close());

async function get(path: string) {
  const res = await server.app.inject({ method: 'GET', url: path });
  return {
    status: res.statusCode,
    body: res.json() as Record<string, unknown>,
    headers: res.headers,
  };
}

describe('REST API', () => {
  it('healthz reports ready with version and the last tick', async () => {
    const { status, body } = await get('/healthz');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', version: expect.any(String), tickMs: 200 });
    expect(body.lastTick).toMatchObject({ seq: expect.any(Number) });
    const fleet = body.fleet as { devices: number; simulated: boolean };
    expect(fleet.simulated).toBe(true);
    // Live count: a few of the 5,000 simulated slots are between a retired device and its replacement.
    expect(fleet.devices).toBeGreaterThan(4900);
    expect(fleet.devices).toBeLessThanOrEqual(5000);
  });

  it('lists the scope tree depth-first with contiguous site ranges', async () => {
    const { status, body } = await get('/api/v1/scopes');
    expect(status).toBe(200);
    const { scopes } = body as unknown as ScopesResponse;
    expect(scopes[0]).toMatchObject({ id: 'global', parent: null, siteStart: 0 });
    const regions = scopes.filter((s) => s.kind === 'region').map((s) => s.id);
    expect(regions).toEqual([
      'region:africa',
      'region:americas',
      'region:asia',
      'region:europe',
      'region:oceania',
    ]);
    const sites = scopes.filter((s) => s.kind === 'site');
    expect(sites.length).toBeGreaterThanOrEqual(2000);
    sites.forEach((s, i) => expect(s.siteStart).toBe(i));
    const byId = new Map(scopes.map((s) => [s.id, s]));
    for (const s of scopes) {
      if (!s.parent) continue;
      const parent = byId.get(s.parent)!;
      expect(s.siteStart).toBeGreaterThanOrEqual(parent.siteStart);
      expect(s.siteStart + s.siteCount).toBeLessThanOrEqual(parent.siteStart + parent.siteCount);
    }
    const lyon = byId.get('site:fr-lyon')!;
    expect(lyon).toMatchObject({ parent: 'country:FR', timeZone: 'Europe/Paris', country: 'FR' });
    expect((await get('/api/v1/scopes')).body).toEqual(body); // stable
  });

  it('sends the scope tree compressed to a client that accepts it, the same tree', async () => {
    const as = (encoding?: string) =>
      server.app.inject({
        url: '/api/v1/scopes',
        headers: encoding ? { 'accept-encoding': encoding } : {},
      });
    const plain = await as();
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toMatch(/application\/json/);
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    const tree = plain.json() as ScopesResponse;

    const br = await as('gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=300');
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString())).toEqual(tree);

    // Refused brotli (q=0): gzip. Nothing acceptable: as it is.
    const gz = await as('br;q=0, gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString())).toEqual(tree);
    const neither = await as('compress');
    expect(neither.headers['content-encoding']).toBeUndefined();
    expect(neither.json()).toEqual(tree);
  });

  it('lists simulated incidents touching a scope, none in the future', async () => {
    const now = Date.now();
    const { status, body } = await get(
      `/api/v1/events?scope=global&from=${now - 7 * 86_400_000}&to=${now}`,
    );
    expect(status).toBe(200);
    const events = body.events as {
      start: number;
      end: number | null;
      kind: string;
      simulated: boolean;
    }[];
    expect(events.length).toBeGreaterThan(10); // about four a day
    expect(new Set(events.map((e) => e.kind))).toEqual(
      new Set(['outage', 'degradation', 'firmware']),
    );
    for (const e of events) {
      expect(e.start).toBeLessThanOrEqual(now);
      if (e.end !== null) expect(e.end).toBeGreaterThan(e.start);
      expect(e.simulated).toBe(true);
    }
    const iso = await get(`/api/v1/events?from=${new Date(now - 86_400_000).toISOString()}`);
    expect(iso.status).toBe(200);
  });

  it.each([
    ['/api/v1/events?from=yesterday', 'from'],
    ['/api/v1/events?to=2026-13-45T99:00:00Z', 'to'],
    ['/api/v1/events?from=2000&to=1000', 'from'],
    ['/api/v1/events?limit=0', 'limit'],
    ['/api/v1/events?limit=ten', 'limit'],
    ['/api/v1/events?scop=global', 'scop'],
  ])('GET %s → 400 naming %s', async (url, name) => {
    const { status, body } = await get(url);
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: 'invalid_parameter' } });
    expect((body.error as { message: string }).message).toContain(name);
  });

  it('unknown scope → 404 JSON, unknown API path → 404 JSON', async () => {
    expect(await get('/api/v1/events?scope=country:ZZ')).toMatchObject({
      status: 404,
      body: { error: { code: 'unknown_scope' } },
    });
    expect(await get('/api/v1/nope')).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
  });

  it('tells the browser which basemap to draw: the offline one unless MAP_STYLE_URL is set', async () => {
    expect(await get('/api/v1/config')).toMatchObject({
      status: 200,
      body: { mapStyleUrl: null },
    });
    const tiles = await startServer({ MAP_STYLE_URL: 'https://tiles.example.com/style.json' });
    try {
      const res = await tiles.app.inject({ method: 'GET', url: '/api/v1/config' });
      expect(res.json()).toEqual({ mapStyleUrl: 'https://tiles.example.com/style.json' });
    } finally {
      await tiles.close();
    }
  });

  it('serves an OpenAPI document describing the routes', async () => {
    const { status, body } = await get('/api/v1/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    expect(Object.keys(body.paths as object)).toEqual(
      expect.arrayContaining([
        '/healthz',
        '/api/v1/scopes',
        '/api/v1/config',
        '/api/v1/events',
        '/api/v1/history',
        '/api/v1/devices',
        '/api/v1/ingest',
        '/metrics',
      ]),
    );
  });

  it('a body a client sent wrong is a 4xx, never a 500', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json()).toHaveProperty('error.code');
  });
});
