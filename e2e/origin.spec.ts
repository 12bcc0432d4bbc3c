/**
 * Origins come from configuration only (lib/origin.ts): a request's `Host` and
 * `X-Forwarded-Host` never decide where a user is sent. Each redirecting route is asked twice,
 * honestly and with spoofed headers, over plain HTTP (a browser cannot spoof Host); every
 * `Location` must be the same and point at the configured origin or the provider.
 */
import { request as httpRequest } from 'node:http';
import { expect, test } from '@playwright/test';
import { APP_URL, IDP_URL } from './env';
import { signIn } from './helpers';

const APP = new URL(APP_URL);
const EVIL = 'evil.example';
const SPOOFED = {
  host: EVIL,
  'x-forwarded-host': EVIL,
  'x-forwarded-proto': 'https',
  forwarded: `host=${EVIL};proto=https`,
};

interface Answer {
  status: number;
  location?: string;
  setCookie: string[];
}

/** One request to the app on loopback, with exactly these headers (Host included). */
function send(method: string, path: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: APP.port, method, path, headers: { host: APP.host, ...headers } },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location,
            setCookie: res.headers['set-cookie'] ?? [],
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(method === 'POST' ? '' : undefined);
  });
}

/**
 * The Location as the browser resolves it (against the URL it asked for: Next.js writes a
 * same-origin redirect from middleware as a relative one), without the parts that differ per
 * request (state, nonce, PKCE, error reference).
 */
function stable(location: string | undefined, requested: string): string {
  if (!location) return '(none)';
  const url = new URL(location, requested);
  for (const name of ['state', 'nonce', 'code_challenge', 'ref']) url.searchParams.delete(name);
  return url.href;
}

const ROUTES: Array<{
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
}> = [
  { name: 'the page guard', method: 'GET', path: '/dashboard?tab=notes' },
  {
    name: 'the callback without a transaction',
    method: 'GET',
    path: '/auth/callback?code=x&state=y',
  },
  {
    name: 'the refresh without a session',
    method: 'GET',
    path: '/auth/refresh?returnTo=%2Fdashboard',
  },
  { name: 'the post-logout callback', method: 'GET', path: '/auth/logout/callback?state=x' },
  {
    name: 'sign-out',
    method: 'POST',
    path: '/auth/logout',
    headers: { origin: APP_URL, 'content-length': '0' },
  },
];

for (const route of ROUTES) {
  test(`${route.name}: a spoofed Host / X-Forwarded-Host changes no Location`, async () => {
    const honest = await send(route.method, route.path, route.headers ?? {});
    const spoofed = await send(route.method, route.path, { ...route.headers, ...SPOOFED });
    expect(honest.status).toBeGreaterThanOrEqual(300);
    expect(honest.status).toBeLessThan(400);
    expect(spoofed.status).toBe(honest.status);
    // Where a browser that reached the app honestly, or through a spoofing proxy, would go.
    expect(new URL(stable(honest.location, APP_URL)).origin).toBe(APP.origin);
    expect(stable(spoofed.location, `https://${EVIL}`)).toBe(stable(honest.location, APP_URL));
  });
}

test("sign-in at the configured host: the authorization request's redirect_uri ignores X-Forwarded-Host", async () => {
  const honest = await send('GET', '/auth/login?returnTo=%2Fdashboard', {});
  const forwarded = await send('GET', '/auth/login?returnTo=%2Fdashboard', {
    'x-forwarded-host': EVIL,
    'x-forwarded-proto': 'https',
    forwarded: `host=${EVIL}`,
  });
  for (const answer of [honest, forwarded]) {
    expect(answer.status).toBe(303);
    const authorize = new URL(answer.location!);
    expect(authorize.origin).toBe(new URL(IDP_URL).origin);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${APP_URL}/auth/callback`);
    expect(answer.setCookie.some((c) => /^(__Host-)?oidc-tx\./.test(c))).toBe(true);
  }
  expect(stable(forwarded.location, APP_URL)).toBe(stable(honest.location, APP_URL));
});

test('sign-in on another host goes to the configured origin first, before any transaction cookie', async () => {
  for (const host of [EVIL, `127.0.0.1:${APP.port}`]) {
    const answer = await send('GET', '/auth/login?returnTo=%2Fdashboard%3Fa%3D1', {
      host,
      'x-forwarded-host': host,
    });
    expect(answer.status).toBe(307);
    expect(answer.location).toBe(`${APP_URL}/auth/login?returnTo=%2Fdashboard%3Fa%3D1`);
    expect(answer.setCookie).toEqual([]);
  }
});

test('a browser that opens the app on 127.0.0.1 still signs in, on the configured origin', async ({
  page,
}) => {
  await signIn(page, 'alice', `http://127.0.0.1:${APP.port}/dashboard`);
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  await expect(page.getByTestId('user-name')).toBeVisible();
});
