/**
 * The session across cookies (lib/session/chunks.ts): how a sealed session is split, joined,
 * and cleaned up, with real seals of an Entra-sized token set.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  isSessionCookie,
  MAX_CHUNKS,
  MAX_COOKIE_BYTES,
  MAX_SESSION_BYTES,
  readSessionCookie,
  SessionTooLargeError,
  sessionCookieWrites,
} from '@/lib/session/chunks';

const NAME = '__Host-session';

/** A cookie jar: what a request would carry after applying `writes` (deletions remove). */
function apply(
  jar: Map<string, string>,
  writes: Array<{ name: string; value: string }>,
): Map<string, string> {
  const next = new Map(jar);
  for (const w of writes) {
    if (w.value) next.set(w.name, w.value);
    else next.delete(w.name);
  }
  return next;
}

const sealedOf = (length: number) => 'Fe26.2*' + 'a'.repeat(length - 7);

describe('splitting and joining', () => {
  it('a session that fits is one cookie, named as before', () => {
    const sealed = sealedOf(MAX_COOKIE_BYTES - NAME.length - 1);
    expect(sessionCookieWrites(NAME, sealed, [])).toEqual([{ name: NAME, value: sealed }]);
  });

  it.each([MAX_COOKIE_BYTES - NAME.length, 5000, 6000])(
    'a %i-character session is split into chunks within the browser limit, and joins back',
    (length) => {
      const sealed = sealedOf(length);
      const writes = sessionCookieWrites(NAME, sealed, []);
      expect(writes.length).toBeGreaterThan(1);
      expect(writes.length).toBeLessThanOrEqual(MAX_CHUNKS);
      writes.forEach((w, i) => {
        expect(w.name).toBe(`${NAME}.${i}`);
        expect(w.name.length + 1 + w.value.length).toBeLessThanOrEqual(MAX_COOKIE_BYTES);
      });
      // The whole Cookie header stays well under the 8 KB a proxy commonly allows per header line.
      expect(
        writes.reduce((n, w) => n + w.name.length + 1 + w.value.length, 0),
      ).toBeLessThanOrEqual(MAX_SESSION_BYTES);
      const jar = apply(new Map(), writes);
      expect(readSessionCookie(NAME, (n) => jar.get(n))).toBe(sealed);
    },
  );

  it('refuses a session larger than the cookie budget (MAX_SESSION_BYTES): the store is the answer', () => {
    expect(() => sessionCookieWrites(NAME, sealedOf(MAX_SESSION_BYTES), [])).toThrow(
      SessionTooLargeError,
    );
    expect(() => sessionCookieWrites(NAME, sealedOf(MAX_CHUNKS * MAX_COOKIE_BYTES), [])).toThrow(
      SessionTooLargeError,
    );
  });

  it('every write removes what it does not replace: a shrinking session leaves no chunk, a growing one no whole cookie', () => {
    // A stale third chunk (say, from an older version) is deleted too.
    const big = apply(
      new Map([[`${NAME}.2`, 'stale']]),
      sessionCookieWrites(NAME, sealedOf(6_000), []),
    );
    expect([...big.keys()].sort()).toEqual([`${NAME}.0`, `${NAME}.1`, `${NAME}.2`]);
    const medium = apply(big, sessionCookieWrites(NAME, sealedOf(5_000), [...big.keys()]));
    expect([...medium.keys()].sort()).toEqual([`${NAME}.0`, `${NAME}.1`]);
    const small = apply(medium, sessionCookieWrites(NAME, sealedOf(2_000), [...medium.keys()]));
    expect([...small.keys()]).toEqual([NAME]);
    const again = apply(small, sessionCookieWrites(NAME, sealedOf(5_000), [...small.keys()]));
    expect([...again.keys()].sort()).toEqual([`${NAME}.0`, `${NAME}.1`]);
    expect(readSessionCookie(NAME, (n) => again.get(n))).toBe(sealedOf(5_000));
  });

  it('ending the session deletes every session cookie, and only those', () => {
    const carried = [
      NAME,
      `${NAME}.0`,
      `${NAME}.1`,
      `${NAME}.x`,
      'other',
      `${NAME}-other`,
      `${NAME}.123`,
    ];
    const writes = sessionCookieWrites(NAME, undefined, carried);
    expect(writes.map((w) => w.name).sort()).toEqual([NAME, `${NAME}.0`, `${NAME}.1`].sort());
    expect(writes.every((w) => w.value === '')).toBe(true);
    // Nothing carried: the plain name is still deleted (an idempotent sign-out).
    expect(sessionCookieWrites(NAME, undefined, [])).toEqual([{ name: NAME, value: '' }]);
  });

  it('reads the whole cookie first; chunks in order up to a gap; more than MAX_CHUNKS is malformed (null)', () => {
    const jar = new Map([
      [NAME, 'whole'],
      [`${NAME}.0`, 'a'],
    ]);
    expect(readSessionCookie(NAME, (n) => jar.get(n))).toBe('whole');
    const gap = new Map([
      [`${NAME}.0`, 'a'],
      [`${NAME}.2`, 'c'],
    ]);
    expect(readSessionCookie(NAME, (n) => gap.get(n))).toBe('a');
    const many = new Map<string, string>(
      Array.from({ length: MAX_CHUNKS + 1 }, (_, i) => [`${NAME}.${i}`, 'x']),
    );
    expect(readSessionCookie(NAME, (n) => many.get(n))).toBeNull();
    expect(readSessionCookie(NAME, () => undefined)).toBeUndefined();
    // A cookie no browser would have stored (over 4,096 bytes with its name) is not ours.
    const over = 'x'.repeat(MAX_COOKIE_BYTES - NAME.length);
    expect(readSessionCookie(NAME, (n) => (n === NAME ? over : undefined))).toBeNull();
    expect(readSessionCookie(NAME, (n) => (n === NAME ? over.slice(1) : undefined))).toBe(
      over.slice(1),
    );
    expect(readSessionCookie(NAME, (n) => (n === `${NAME}.0` ? over : undefined))).toBeNull();
  });

  it('knows its own cookies', () => {
    for (const n of [NAME, `${NAME}.0`, `${NAME}.2`, `${NAME}.10`])
      expect(isSessionCookie(NAME, n)).toBe(true);
    for (const n of [`${NAME}.`, `${NAME}.a`, `${NAME}.100`, `${NAME}0`, 'session', `x${NAME}`])
      expect(isSessionCookie(NAME, n)).toBe(false);
  });
});

describe('with real seals (iron-session)', () => {
  let cookie: typeof import('@/lib/session/cookie');

  beforeAll(async () => {
    vi.stubEnv('SESSION_SECRET', 'chunks-test-session-secret-0123456789abcdef');
    vi.resetModules();
    cookie = await import('@/lib/session/cookie');
  });

  /** A token set of `id`, `access` and `refresh` random bytes (the JWTs base64url-encoded). */
  function tokenSet(id: number, access: number, refresh: number) {
    const jwt = (bytes: number) =>
      [
        'eyJhbGciOiJSUzI1NiJ9',
        randomBytes(bytes).toString('base64url'),
        randomBytes(256).toString('base64url'),
      ].join('.');
    const now = Math.floor(Date.now() / 1000);
    return {
      sub: randomUUID(),
      idToken: jwt(id),
      accessToken: jwt(access),
      accessTokenExpiresAt: now + 3600,
      tokensReceivedAt: now,
      scope: 'openid profile email offline_access api://x/notes:read',
      refreshToken: randomBytes(refresh).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
    };
  }
  /** About 1.3 KB per JWT and a 1 KB refresh token: more than one cookie, within the budget. */
  const midSized = () => tokenSet(700, 700, 750);
  /** The 8 KB token set: ID and access tokens of about 2.5 KB, a 1.5 KB refresh token (Entra-sized). */
  const eightKb = () => tokenSet(1650, 1650, 1100);

  it('a mid-sized session seals to more than one cookie holds, splits in two, and opens again', async () => {
    const data = midSized();
    const sealed = await cookie.sealSession(data);
    expect(sealed.length).toBeGreaterThan(MAX_COOKIE_BYTES);
    const jar = apply(new Map(), sessionCookieWrites(NAME, sealed, []));
    expect(jar.size).toBe(2);
    const opened = await cookie.openSession(readSessionCookie(NAME, (n) => jar.get(n)));
    expect(opened).toEqual({ status: 'valid', data });
  });

  it('the 8 KB token set does not fit the cookie budget: SessionTooLargeError (store mode holds it)', async () => {
    const data = eightKb();
    expect(
      data.idToken.length + data.accessToken.length + data.refreshToken.length,
    ).toBeGreaterThan(6_000);
    await expect(
      cookie.sealSession(data).then((sealed) => sessionCookieWrites(NAME, sealed, [])),
    ).rejects.toThrow(SessionTooLargeError);
  });

  it('a chunk missing, swapped or tampered with: invalid, never an error', async () => {
    const sealed = await cookie.sealSession(midSized());
    const jar = apply(new Map(), sessionCookieWrites(NAME, sealed, []));
    const missing = new Map(jar);
    missing.delete(`${NAME}.1`);
    const swapped = new Map(jar);
    swapped.set(`${NAME}.0`, jar.get(`${NAME}.1`)!);
    swapped.set(`${NAME}.1`, jar.get(`${NAME}.0`)!);
    const tampered = new Map(jar);
    tampered.set(`${NAME}.1`, `${jar.get(`${NAME}.1`)!.slice(0, -1)}A`);
    for (const broken of [missing, swapped, tampered]) {
      expect(await cookie.openSession(readSessionCookie(NAME, (n) => broken.get(n)))).toEqual({
        status: 'invalid',
      });
    }
    expect(await cookie.openSession(null)).toEqual({ status: 'invalid' });
  });
});
