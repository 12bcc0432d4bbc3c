/**
 * The resource server sets itself up from the issuer's metadata on first use. While the issuer
 * is down, it must not ask again on every request: at most once per RETRY_AFTER_MS (5 s).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it, vi } from 'vitest';
import { listenOnLoopback } from '../support/http.ts';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

it('asks a failing issuer for its metadata at most once per 5 s, then recovers', async () => {
  let hits = 0;
  let up = false;
  const server = createServer((req, res) => {
    hits++;
    if (!up) {
      res.writeHead(503).end();
      return;
    }
    const issuer = `http://localhost:${(server.address() as AddressInfo).port}`;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
  });
  const origin = await listenOnLoopback(server);
  try {
    vi.resetModules();
    vi.stubEnv('OIDC_ISSUER', origin);
    const { resourceServer } = await import('@/lib/resource-server/resource-server');
    let now = Date.now();
    vi.spyOn(Date, 'now').mockImplementation(() => now);

    for (let i = 0; i < 5; i++) await expect(resourceServer()).rejects.toThrow();
    expect(hits).toBe(1);

    now += 4_999;
    await expect(resourceServer()).rejects.toThrow();
    expect(hits).toBe(1);

    now += 2;
    up = true;
    await expect(resourceServer()).resolves.toMatchObject({
      config: { audience: 'http://localhost:3000/api' },
    });
    expect(hits).toBe(2);
    await resourceServer();
    expect(hits).toBe(2); // set up once, then cached
  } finally {
    server.close();
  }
});
