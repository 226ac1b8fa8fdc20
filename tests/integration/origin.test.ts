import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeSockets, openSocket, startServer, type RunningServer } from '../support/server.ts';

// HOST is not loopback, so the allow-list applies (the test still listens on 127.0.0.1).
let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ HOST: '0.0.0.0', ALLOWED_ORIGINS: 'https://noc.example.com' });
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

function connects(headers: Record<string, string>): Promise<boolean> {
  const socket = openSocket(server.url, headers);
  return new Promise((resolve) => {
    socket.on('connect', () => resolve(true));
    socket.on('connect_error', () => resolve(false));
  });
}

describe('origin allow-list when HOST is not loopback', () => {
  it('refuses API requests from a foreign origin and allows listed or absent ones', async () => {
    const foreign = await server.app.inject({
      url: '/api/v1/scopes',
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toMatchObject({ error: { code: 'forbidden' } });
    const listed = await server.app.inject({
      url: '/api/v1/scopes',
      headers: { origin: 'https://noc.example.com' },
    });
    expect(listed.statusCode).toBe(200);
    expect((await server.app.inject({ url: '/api/v1/scopes' })).statusCode).toBe(200);
  });

  it('refuses a socket from a foreign origin and accepts a listed one', async () => {
    expect(await connects({ origin: 'https://evil.example' })).toBe(false);
    expect(await connects({ origin: 'https://noc.example.com' })).toBe(true);
  });
});
