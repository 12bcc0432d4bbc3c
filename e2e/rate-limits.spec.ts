/**
 * Per-address rate limits (lib/rate-limit/), against a production server of their own started
 * with small limits, as it would run behind a proxy that sets X-Real-IP (the test plays that
 * proxy: RATE_LIMIT_CLIENT_HEADER=x-real-ip). The suite's shared servers run without limits.
 */
import { expect, test } from '@playwright/test';
import { TEST_SESSION_SECRET } from './env';
import { machineToken } from './helpers';
import { ready, start } from './spawn';

const PORT = 3012;
const APP = `http://localhost:${PORT}`;
let server: ReturnType<typeof start>;

test.beforeAll(async () => {
  server = start(PORT, {
    SESSION_SECRET: TEST_SESSION_SECRET,
    APP_BASE_URL: APP,
    // Tokens of the local IdP are for the suite's API identifier.
    API_AUDIENCE: 'http://localhost:3000/api',
    RATE_LIMIT_AUTH: '4/60',
    RATE_LIMIT_API: '4/60',
    RATE_LIMIT_CLIENT_HEADER: 'x-real-ip',
  });
  await ready(`${APP}/`);
});

test.afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
});

const from = (address: string, extra: Record<string, string> = {}) => ({
  'X-Real-IP': address,
  ...extra,
});

test('/auth: after RATE_LIMIT_AUTH requests an address gets 429 with Retry-After; others and the error page do not', async ({
  request,
}) => {
  const login = (headers: Record<string, string>) =>
    request.get(`${APP}/auth/login?returnTo=%2F`, { headers, maxRedirects: 0 });
  for (let i = 0; i < 4; i++) expect((await login(from('198.51.100.1'))).status()).toBe(303);

  const limited = await login(from('198.51.100.1'));
  expect(limited.status()).toBe(429);
  const retryAfter = Number(limited.headers()['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(limited.headers()['cache-control']).toBe('no-store');
  expect(
    limited.headers()['set-cookie'],
    'no transaction cookie for a refused request',
  ).toBeUndefined();
  expect(await limited.text()).toContain('Too many requests');

  // A header the client adds does not make it someone else: only X-Real-IP (the proxy's) counts.
  expect((await login(from('198.51.100.1', { 'X-Forwarded-For': '203.0.113.50' }))).status()).toBe(
    429,
  );
  // Another address is not affected; the limited one can still read the sign-in error page.
  expect((await login(from('198.51.100.2'))).status()).toBe(303);
  expect(
    (
      await request.get(`${APP}/auth/error?reason=access_denied`, { headers: from('198.51.100.1') })
    ).status(),
  ).toBe(200);
  expect(server.output()).toContain('"event":"rate_limited","scope":"auth"');
  expect(server.output(), 'the address is never logged').not.toContain('198.51.100.1');
});

test('/api: refused calls are limited per address; a valid token never is', async ({ request }) => {
  const me = (headers: Record<string, string>) => request.get(`${APP}/api/me`, { headers });
  for (let i = 0; i < 4; i++) expect((await me(from('198.51.100.3'))).status()).toBe(401);
  const limited = await me(from('198.51.100.3', { Authorization: 'Bearer not.a.token' }));
  expect(limited.status()).toBe(429);
  expect(limited.headers()['retry-after']).toMatch(/^\d+$/);
  expect(limited.headers()['cache-control']).toBe('no-store');
  expect(await limited.json()).toMatchObject({ error: 'too_many_requests' });

  const valid = await me(from('198.51.100.3', { Authorization: `Bearer ${await machineToken()}` }));
  expect(valid.status()).toBe(200);
});
