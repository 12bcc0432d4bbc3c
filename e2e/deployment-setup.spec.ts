/**
 * A deployment with required settings missing answers every request with a setup page (503)
 * that names each missing variable, shows no value and serves no sign-in; locally, `next start`
 * refuses to start. Each case starts the production build (.next, built for the suite) itself.
 */
import { expect, test } from '@playwright/test';
import { ready, start } from './spawn';

const SENTINEL_SECRET = 'sentinel-5e55-10n5-never-shown-7c1d9a';
const SENTINEL_CLIENT_SECRET = 'sentinel-client-secret-never-shown';

test.describe.configure({ mode: 'serial' });

test('a Vercel deployment without its settings: every path is the setup page, naming each missing variable', async () => {
  const port = 3007;
  // A production deployment with a too-short secret and nothing else: no client, no origin.
  const server = start(port, {
    VERCEL: '1',
    VERCEL_ENV: 'production',
    SESSION_SECRET: 'short',
    OIDC_CLIENT_SECRET: SENTINEL_CLIENT_SECRET,
  });
  try {
    await ready(`http://localhost:${port}/`);
    for (const path of [
      '/',
      '/dashboard',
      '/auth/login?returnTo=%2F',
      '/auth/callback?code=x&state=y',
      '/setup',
    ]) {
      const response = await fetch(`http://localhost:${port}${path}`, { redirect: 'manual' });
      expect(response.status, path).toBe(503);
      expect(response.headers.get('location'), path).toBeNull();
      expect(response.headers.get('set-cookie'), path).toBeNull();
      expect(response.headers.get('cache-control')).toBe('no-store');
      const html = await response.text();
      for (const name of ['SESSION_SECRET', 'OIDC_ISSUER', 'OIDC_CLIENT_ID', 'APP_BASE_URL'])
        expect(html, `${path} names ${name}`).toContain(name);
      expect(html).toContain('openssl rand -base64 32');
      expect(html).toContain('docs/vercel.md#environment-variables');
      // OIDC_CLIENT_SECRET is set: not listed, and never shown.
      expect(html).not.toContain('OIDC_CLIENT_SECRET');
      expect(html).not.toContain(SENTINEL_CLIENT_SECRET);
      expect(html).not.toContain('>short<');
    }
    // /api and /bff (no Edge guard there) answer their callers in JSON, naming the same variables.
    for (const [path, init] of [
      ['/api/me', {}],
      ['/api/notes/abc', {}],
      ['/api/metrics', {}],
      ['/bff/notes', { headers: { 'x-bff-request': '1' } }],
      ['/bff/lab?attack=no-token', { method: 'POST', headers: { 'x-lab-request': '1' } }],
    ] as const) {
      const response = await fetch(`http://localhost:${port}${path}`, {
        redirect: 'manual',
        ...init,
      });
      expect(response.status, path).toBe(503);
      expect(response.headers.get('cache-control'), path).toBe('no-store');
      const body = (await response.json()) as { error: string; missing: string[] };
      expect(body.error, path).toBe('setup_required');
      expect(body.missing, path).toEqual([
        'SESSION_SECRET',
        'OIDC_ISSUER',
        'OIDC_CLIENT_ID',
        'APP_BASE_URL',
      ]);
      expect(JSON.stringify(body)).not.toContain(SENTINEL_CLIENT_SECRET);
    }
    expect(server.output()).toContain(
      'Setup needed: SESSION_SECRET, OIDC_ISSUER, OIDC_CLIENT_ID, APP_BASE_URL',
    );
    expect(server.output()).not.toContain(SENTINEL_CLIENT_SECRET);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
});

test('a preview with every variable set but a malformed one: the setup page quotes the configuration error', async () => {
  const port = 3008;
  const server = start(port, {
    VERCEL: '1',
    VERCEL_ENV: 'preview',
    VERCEL_BRANCH_URL: 'app-git-feature.vercel.app',
    SESSION_SECRET: SENTINEL_SECRET,
    OIDC_ISSUER: 'http://idp.example.com', // not https
    OIDC_CLIENT_ID: 'client',
    OIDC_CLIENT_SECRET: SENTINEL_CLIENT_SECRET,
  });
  try {
    await ready(`http://localhost:${port}/`);
    const response = await fetch(`http://localhost:${port}/auth/login`, { redirect: 'manual' });
    expect(response.status).toBe(503);
    const html = await response.text();
    expect(html).toContain('OIDC_ISSUER must be an https:// URL');
    for (const secret of [SENTINEL_SECRET, SENTINEL_CLIENT_SECRET])
      expect(html).not.toContain(secret);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
});

test('a preview with PREVIEW_SIGN_IN=off: the home page, and a 503 saying so everywhere else; refused in production', async () => {
  const port = 3008;
  const server = start(port, {
    VERCEL: '1',
    VERCEL_ENV: 'preview',
    VERCEL_BRANCH_URL: 'app-git-feature.vercel.app',
    PREVIEW_SIGN_IN: 'off',
  });
  try {
    await ready(`http://localhost:${port}/`);
    const home = await fetch(`http://localhost:${port}/`, { redirect: 'manual' });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('OAuth 2.0 + OpenID Connect');
    for (const path of [
      '/dashboard',
      '/auth/login?returnTo=%2F',
      '/auth/callback?code=x&state=y',
      '/api/me',
      '/bff/notes',
      '/auth/error',
    ]) {
      const response = await fetch(`http://localhost:${port}${path}`, {
        redirect: 'manual',
        headers: { 'x-bff-request': '1' },
      });
      expect(response.status, path).toBe(503);
      expect(response.headers.get('set-cookie'), path).toBeNull();
      expect(await response.text(), path).toContain('Sign-in is off on this preview');
    }
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }

  const production = start(port, {
    VERCEL: '1',
    VERCEL_ENV: 'production',
    VERCEL_PROJECT_PRODUCTION_URL: 'app.example.com',
    PREVIEW_SIGN_IN: 'off',
  });
  try {
    await ready(`http://localhost:${port}/`);
    const response = await fetch(`http://localhost:${port}/`, { redirect: 'manual' });
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('PREVIEW_SIGN_IN');
  } finally {
    production.child.kill('SIGTERM');
    await production.exited;
  }
});

test('locally, `next start` with a setting missing refuses to start, naming it', async () => {
  const server = start(3009, {
    OIDC_ISSUER: 'https://idp.example.com',
    OIDC_CLIENT_ID: 'client',
    OIDC_CLIENT_SECRET: SENTINEL_CLIENT_SECRET,
  });
  const code = await Promise.race([
    server.exited,
    new Promise<string>((r) => setTimeout(() => r('still running'), 30_000)),
  ]);
  if (code === 'still running') server.child.kill('SIGKILL');
  expect(code).toBe(1);
  expect(server.output()).toContain(
    'Configuration error: SESSION_SECRET is required in production',
  );
});
