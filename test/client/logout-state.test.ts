/**
 * lib/client/logout.ts: the logout-state cookie, which holds the `state` sent to the provider's
 * end-session endpoint and where to return, until /auth/logout/callback. Sealed like every
 * cookie of the app: a browser (or a sibling subdomain) can neither read nor forge it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BrowserJar, emptyResponse } from '../support/cookie-jar';
import { loadWithEnv } from '../support/env';

/** Like generated secrets: production refuses hand-written samples (lib/config.ts). */
const OLD = 'Qm4TzR8vKp2XwL7nJc5HbF9gYd3SaE6u';
const NEW = 'Vn7BxK2pRt9LmW4zQc8JhD5fGs3YaE1k';

type LogoutModule = typeof import('@/lib/client/logout');

async function load(
  env: { NODE_ENV?: string; SESSION_SECRET?: string; SESSION_SECRET_PREVIOUS?: string } = {},
): Promise<LogoutModule> {
  return loadWithEnv(() => import('@/lib/client/logout'), { SESSION_SECRET: NEW, ...env });
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

const VALUE = {
  state: 'logout-state-0123456789abcdef',
  returnTo: '/?next=%2Fdashboard&discount=100%25',
};

async function written(logout: LogoutModule): Promise<BrowserJar> {
  const response = emptyResponse();
  await logout.writeLogoutState(response.cookies, VALUE);
  const jar = new BrowserJar();
  jar.receive(response);
  return jar;
}

describe('the logout-state cookie', () => {
  it('round-trips the state and returnTo exactly, percent-encoding included', async () => {
    const logout = await load();
    const jar = await written(logout);
    expect(jar.names()).toEqual(['logout-state']);
    expect(await logout.readLogoutState(jar.request('/auth/logout/callback').cookies)).toEqual(
      VALUE,
    );
  });

  it('is sealed: neither the state nor the returnTo can be read in it', async () => {
    const logout = await load();
    const { value } = (await written(logout)).cookies.get('logout-state')!;
    expect(value).toMatch(/^Fe26\.2\*/);
    expect(value).not.toContain(VALUE.state);
    expect(Buffer.from(value.split('*')[4] ?? '', 'base64url').toString('latin1')).not.toContain(
      'dashboard',
    );
  });

  it('in production: __Host- prefix, Secure, Path=/', async () => {
    const logout = await load({ NODE_ENV: 'production' });
    const jar = await written(logout);
    const [name, cookie] = [...jar.cookies][0]!;
    expect(name).toBe('__Host-logout-state');
    expect(cookie.line).toMatch(/; Path=\/(;|$)/);
    expect(cookie.line).toMatch(/; Secure/);
    expect(cookie.line).toMatch(/; HttpOnly/);
    expect(cookie.line).toMatch(/Max-Age=600/);
  });

  it.each([
    [
      'the unsealed base64url JSON of earlier versions',
      Buffer.from(JSON.stringify({ state: 's', returnTo: 'https://evil.example' })).toString(
        'base64url',
      ),
    ],
    ['garbage', 'not-a-seal'],
    ['an empty value', ''],
  ])('reads a forged value (%s) as nothing', async (_label, value) => {
    const logout = await load();
    const jar = new BrowserJar();
    jar.cookies.set('logout-state', { value, line: '' });
    expect(await logout.readLogoutState(jar.request().cookies)).toEqual({});
  });

  it('reads a tampered seal as nothing', async () => {
    const logout = await load();
    const jar = await written(logout);
    const parts = jar.cookies.get('logout-state')!.value.split('*');
    parts[4] = `${parts[4]!.slice(0, -2)}${parts[4]!.endsWith('AA') ? 'BB' : 'AA'}`;
    jar.cookies.set('logout-state', { value: parts.join('*'), line: '' });
    expect(await logout.readLogoutState(jar.request().cookies)).toEqual({});
  });

  it('expires after LOGOUT_STATE_TTL_S', async () => {
    const logout = await load();
    const jar = await written(logout);
    vi.useFakeTimers({ now: Date.now() + (logout.LOGOUT_STATE_TTL_S + 60) * 1000 });
    expect(await logout.readLogoutState(jar.request().cookies)).toEqual({});
  });

  it('survives a rotation of SESSION_SECRET (SESSION_SECRET_PREVIOUS)', async () => {
    const jar = await written(await load({ SESSION_SECRET: OLD }));
    expect(
      await (
        await load({ SESSION_SECRET: NEW, SESSION_SECRET_PREVIOUS: OLD })
      ).readLogoutState(jar.request().cookies),
    ).toEqual(VALUE);
    expect(
      await (await load({ SESSION_SECRET: NEW })).readLogoutState(jar.request().cookies),
    ).toEqual({});
  });

  it('is deleted with an expiry in the past', async () => {
    const logout = await load();
    const response = emptyResponse();
    logout.deleteLogoutState(response.cookies);
    expect(response.headers.getSetCookie()[0]).toMatch(
      /^logout-state=;.*Expires=Thu, 01 Jan 1970/i,
    );
  });
});
