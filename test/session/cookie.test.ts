/**
 * lib/session/cookie.ts: opening and sealing the session cookie, its lifetimes, and secret
 * rotation. Real iron-session seals; only the environment changes between cases.
 */
import { sealData } from 'iron-session';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionData } from '@/lib/session/options';

const OLD = 'old-session-secret-0123456789-abcdefghijk';
const NEW = 'new-session-secret-0123456789-abcdefghijk';
const OTHER = 'other-session-secret-0123456789-abcdefghi';

type CookieModule = typeof import('@/lib/session/cookie') & typeof import('@/lib/cookies/seal');

async function load(env: Record<string, string | undefined>): Promise<CookieModule> {
  vi.resetModules();
  for (const name of [
    'OIDC_ISSUER',
    'SESSION_SECRET_PREVIOUS',
    'SESSION_MAX_AGE',
    'SESSION_IDLE_TIMEOUT',
  ])
    vi.stubEnv(name, undefined);
  vi.stubEnv('NODE_ENV', 'test');
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return { ...(await import('@/lib/session/cookie')), ...(await import('@/lib/cookies/seal')) };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

const now = () => Math.floor(Date.now() / 1000);

function session(overrides: Partial<SessionData> = {}): SessionData {
  return {
    sub: 'alice',
    idToken: 'id.token.value',
    accessToken: 'access.token.value',
    accessTokenExpiresAt: now() + 300,
    scope: 'notes:read',
    refreshToken: 'refresh-token',
    createdAt: now(),
    lastSeenAt: now(),
    ...overrides,
  };
}

describe('openSession', () => {
  it('opens what sealSession sealed', async () => {
    const c = await load({ SESSION_SECRET: NEW });
    const data = session();
    expect(await c.openSession(await c.sealSession(data))).toEqual({ status: 'valid', data });
  });

  it('treats no cookie, garbage, a tampered seal and an oversized value as not signed in', async () => {
    const c = await load({ SESSION_SECRET: NEW });
    const sealed = await c.sealSession(session());
    const tampered = `${sealed.slice(0, 60)}${sealed[60] === 'A' ? 'B' : 'A'}${sealed.slice(61)}`;
    expect(await c.openSession(undefined)).toEqual({ status: 'none' });
    expect(await c.openSession('garbage')).toEqual({ status: 'invalid' });
    expect(await c.openSession(tampered)).toEqual({ status: 'invalid' });
    // Over what MAX_CHUNKS cookies hold (lib/session/chunks.ts): not even unsealed.
    expect(await c.openSession(`${sealed}${'x'.repeat(13_000)}`)).toEqual({ status: 'invalid' });
    // iron-session itself ignores anything after the `~2` version suffix; nothing may ride along.
    expect(sealed).toMatch(/~2$/);
    for (const tail of ['A', 'AAAA', '0', ' ', '~2'])
      expect(await c.openSession(`${sealed}${tail}`), tail).toEqual({ status: 'invalid' });
  });

  it('refuses a seal of something that is not a complete session', async () => {
    const c = await load({ SESSION_SECRET: NEW });
    const noSub: Partial<SessionData> = session();
    delete noSub.sub;
    const seal = await sealData(noSub, { password: (await c.passwordMaps(NEW)).seal });
    expect(await c.openSession(seal)).toEqual({ status: 'invalid' });
  });

  it('ends a session idle for SESSION_IDLE_TIMEOUT, and one older than SESSION_MAX_AGE', async () => {
    const c = await load({
      SESSION_SECRET: NEW,
      SESSION_IDLE_TIMEOUT: '600',
      SESSION_MAX_AGE: '3600',
    });
    const t = now();
    const fresh = await c.sealSession(session({ createdAt: t - 3000, lastSeenAt: t - 599 }));
    expect((await c.openSession(fresh)).status).toBe('valid');
    const idle = await c.sealSession(session({ createdAt: t - 700, lastSeenAt: t - 600 }));
    expect(await c.openSession(idle)).toEqual({ status: 'idle' });
    // Active all along, but past the absolute lifetime.
    const old = await c.sealSession(session({ createdAt: t - 3600, lastSeenAt: t - 5 }));
    expect(await c.openSession(old)).toEqual({ status: 'expired' });
  });

  it('defaults to a 1 hour idle timeout and a 12 hour absolute lifetime', async () => {
    const c = await load({ SESSION_SECRET: NEW });
    const t = now();
    expect(
      (await c.openSession(await c.sealSession(session({ lastSeenAt: t - 3599 })))).status,
    ).toBe('valid');
    expect(
      (await c.openSession(await c.sealSession(session({ lastSeenAt: t - 3600 })))).status,
    ).toBe('idle');
    expect(
      (await c.openSession(await c.sealSession(session({ createdAt: t - 12 * 3600 })))).status,
    ).toBe('expired');
  });
});

describe('SESSION_SECRET rotation', () => {
  it('opens cookies sealed with a previous secret, and seals only with the new one', async () => {
    const before = await load({ SESSION_SECRET: OLD });
    const sealedWithOld = await before.sealSession(session());

    const after = await load({ SESSION_SECRET: NEW, SESSION_SECRET_PREVIOUS: OLD });
    expect((await after.openSession(sealedWithOld)).status).toBe('valid');
    const sealedWithNew = await after.sealSession(session());

    // Only the new secret seals: a server that knows only NEW opens the new seal...
    const onlyNew = await load({ SESSION_SECRET: NEW });
    expect((await onlyNew.openSession(sealedWithNew)).status).toBe('valid');
    // ...and once OLD is dropped from SESSION_SECRET_PREVIOUS, its cookies no longer open.
    expect(await onlyNew.openSession(sealedWithOld)).toEqual({ status: 'invalid' });
  });

  it('keeps each secret under the same id as it moves from current to previous', async () => {
    const a = await load({ SESSION_SECRET: OLD });
    const b = await load({ SESSION_SECRET: NEW, SESSION_SECRET_PREVIOUS: `${OLD},${OTHER}` });
    const oldId = Object.keys((await a.passwordMaps(OLD)).seal)[0];
    const mapsB = await b.passwordMaps(NEW, [OLD, OTHER]);
    expect(Object.keys(mapsB.seal)).toHaveLength(1);
    expect(Object.keys(mapsB.open)).toHaveLength(3);
    expect(mapsB.open[Number(oldId)]).toBe(OLD);
  });

  it('refuses a cookie sealed with a secret it was never given', async () => {
    const stranger = await load({ SESSION_SECRET: OTHER });
    const foreign = await stranger.sealSession(session());
    const c = await load({ SESSION_SECRET: NEW, SESSION_SECRET_PREVIOUS: OLD });
    expect(await c.openSession(foreign)).toEqual({ status: 'invalid' });
  });
});

describe('needsTouch', () => {
  it('writes activity back at most once a minute', async () => {
    const c = await load({ SESSION_SECRET: NEW });
    const t = now();
    expect(c.needsTouch(session({ lastSeenAt: t - 59 }), t)).toBe(false);
    expect(c.needsTouch(session({ lastSeenAt: t - 60 }), t)).toBe(true);
  });
});

describe('recently opened cookies (lib/session/opened-cache.ts)', () => {
  it('a cookie opened once is remembered; the lifetimes are still checked on every open', async () => {
    const cookie = await load({ SESSION_SECRET: NEW });
    const cache = await import('@/lib/session/opened-cache');
    const sealed = await cookie.sealSession(session());
    expect(cache.openedCacheSize()).toBe(0);
    expect((await cookie.openSession(sealed)).status).toBe('valid');
    expect(cache.openedCacheSize()).toBe(1);
    // Remembered, and still refused once idle or past the absolute lifetime.
    expect((await cookie.openSession(sealed, now() + 2 * 3600)).status).toBe('idle');
    expect((await cookie.openSession(sealed, now() + 13 * 3600)).status).toBe('expired');
    expect((await cookie.openSession(sealed)).status).toBe('valid');
    expect(cache.openedCacheSize()).toBe(1);
  });

  it('only what opened is remembered: a tampered, foreign or wrong-mode value never is', async () => {
    const cookie = await load({ SESSION_SECRET: NEW });
    const cache = await import('@/lib/session/opened-cache');
    const sealed = await cookie.sealSession(session());
    const i = Math.floor(sealed.length / 2);
    const tampered = `${sealed.slice(0, i)}${sealed[i] === 'A' ? 'B' : 'A'}${sealed.slice(i + 1)}`;
    const foreign = await sealData(session(), { password: { 1: OTHER } });
    const pointer = await cookie.sealSession({
      sid: 's'.repeat(43),
      sub: 'alice',
      createdAt: now(),
      lastSeenAt: now(),
    });
    for (const value of [tampered, foreign, pointer])
      expect((await cookie.openSession(value)).status).toBe('invalid');
    expect(cache.openedCacheSize()).toBe(0);
  });

  it('hands out copies, and stays bounded', async () => {
    const cookie = await load({ SESSION_SECRET: NEW });
    const cache = await import('@/lib/session/opened-cache');
    const sealed = await cookie.sealSession(session());
    const first = await cookie.openSession(sealed);
    if (first.status !== 'valid') throw new Error('not valid');
    (first.data as SessionData).sub = 'mallory';
    const second = await cookie.openSession(sealed);
    expect(second.status === 'valid' && second.data.sub).toBe('alice');
    for (let n = 0; n < 600; n++) cache.rememberOpened(`value-${n}`, { n });
    expect(cache.openedCacheSize()).toBe(500);
    expect(cache.recallOpened('value-0')).toBeUndefined();
    expect(cache.recallOpened('value-599')).toEqual({ n: 599 });
    expect(cache.recallOpened('value-599', Date.now() + 6 * 60_000)).toBeUndefined(); // five minutes at most
  });
});
