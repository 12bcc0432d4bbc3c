/**
 * The JWKS cache (lib/resource-server/jwks.ts) against a real JWKS endpoint (../support/provider.ts):
 * caching, the refetch cooldown under a flood of unknown kids, stale keys while the endpoint is
 * down, a cold cache with the endpoint down (503 through protect, not 401), and key rotation.
 * Time is moved with a frozen Date.now (freezeClock), so cooldowns and max ages are exact and the
 * tests neither wait nor depend on the machine's speed. The HTTP traffic is real.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createAccessTokenVerifier,
  InvalidTokenError,
  RFC_9068_SHAPE,
  type AccessToken,
} from '@/lib/resource-server/access-token';
import {
  createJwksCache,
  JwksUnavailableError,
  type JwksCacheOptions,
} from '@/lib/resource-server/jwks';
import { protect } from '@/lib/resource-server/protect';
import { createResourceServer } from '@/lib/resource-server/resource-server';
import { b64json, newKeyPair, segments } from '../support/jws.ts';
import {
  API_AUDIENCE,
  startFakeProvider,
  type FakeProvider,
  type JwksMode,
} from '../support/provider.ts';
import {
  apiRequest,
  bearer,
  captureLogs,
  CLOCK_TOLERANCE_S,
  freezeClock,
  type LogCapture,
} from '../support/resource-server.ts';

let iss: FakeProvider;
let logs: LogCapture;
let clock: ReturnType<typeof freezeClock>;

beforeAll(async () => {
  iss = await startFakeProvider({ publish: ['rs', 'es'] });
});
afterAll(() => iss.close());

beforeEach(() => {
  iss.jwks = [iss.keys.rs.jwk, iss.keys.es.jwk];
  iss.jwksMode = 'up';
  iss.requests.length = 0;
  logs = captureLogs();
  clock = freezeClock();
});
afterEach(() => {
  clock.restore();
  logs.restore();
});

function verifierFor(options: JwksCacheOptions = {}) {
  const jwks = createJwksCache(iss.jwksUri, { timeoutMs: 2_000, ...options });
  const verify = createAccessTokenVerifier({
    issuer: iss.issuer,
    audience: API_AUDIENCE,
    algorithms: ['RS256', 'PS256', 'ES256'],
    clockToleranceS: CLOCK_TOLERANCE_S,
    jwks,
  });
  return { jwks, verify };
}

/** The reason of the InvalidTokenError `promise` rejects with; fails the test otherwise. */
async function reasonOf(promise: Promise<AccessToken>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'verify should have rejected with an InvalidTokenError').toBeInstanceOf(
    InvalidTokenError,
  );
  return (error as InvalidTokenError).reason;
}

/**
 * `count` tokens under random kids that are not in the JWKS. Only the kid differs: the key is
 * looked up before any signature is checked, so they share the forging key's signature.
 */
async function unknownKidTokens(count: number): Promise<string[]> {
  const { payload, signature } = segments(
    await iss.mint({}, { kid: 'attacker-1' }, iss.keys.forge.privateKey),
  );
  return Array.from(
    { length: count },
    () =>
      `${b64json({ alg: 'RS256', typ: 'at+jwt', kid: crypto.randomUUID() })}.${payload}.${signature}`,
  );
}

describe('caching', () => {
  it('fetches the JWKS once for 100 verifications (50 concurrent on a cold cache, then 50 in sequence)', async () => {
    const { jwks, verify } = verifierFor();
    const tokens = await Promise.all(
      Array.from({ length: 100 }, (_, i) => iss.mint({ jti: `t-${i}` })),
    );

    const first = await Promise.all(tokens.slice(0, 50).map((t) => verify(t)));
    for (const t of tokens.slice(50)) expect((await verify(t)).sub).toBe('alice');

    expect(first.every((t) => t.sub === 'alice' && t.kind === 'user' && t.format === 'jwt')).toBe(
      true,
    );
    expect(iss.jwksRequests()).toBe(1);
    expect(jwks.fetches).toBe(1);
  });

  it('picks the key by kid and alg from the cached set (ES256 and RS256 side by side)', async () => {
    const { verify } = verifierFor();
    const es = await iss.mint({}, { alg: 'ES256', kid: 'es-1' }, iss.keys.es.privateKey);
    const rs = await iss.mint();
    expect((await verify(es)).sub).toBe('alice');
    expect((await verify(rs)).sub).toBe('alice');
    expect(iss.jwksRequests()).toBe(1);
  });
});

describe('a flood of unknown kids', () => {
  const COOLDOWN_MS = 30_000;

  it('refetches at most once per cooldown, and rejects every token as unknown_kid', async () => {
    const { jwks, verify } = verifierFor({ cooldownMs: COOLDOWN_MS });
    const flood = await unknownKidTokens(200);

    // Cold cache: 100 at once, then 100 one after the other, spread over one cooldown window.
    const concurrent = await Promise.all(flood.slice(0, 100).map((t) => reasonOf(verify(t))));
    const sequential: string[] = [];
    for (const t of flood.slice(100)) {
      sequential.push(await reasonOf(verify(t)));
      clock.advance((COOLDOWN_MS - 1_000) / 100);
    }

    expect([...concurrent, ...sequential]).toEqual(Array(200).fill('unknown_kid'));
    expect(iss.jwksRequests()).toBeLessThanOrEqual(2);
    expect(iss.jwksRequests()).toBe(1); // the cold fetch; the unknown kids then fall in its cooldown
    expect(jwks.fetches).toBe(iss.jwksRequests());

    // The next window allows one more refetch, and no more, however many kids arrive.
    clock.advance(1_001);
    const before = iss.jwksRequests();
    const next = await Promise.all((await unknownKidTokens(200)).map((t) => reasonOf(verify(t))));
    expect(next).toEqual(Array(200).fill('unknown_kid'));
    expect(iss.jwksRequests() - before).toBe(1);

    // A genuine token still validates from the cache.
    expect((await verify(await iss.mint())).sub).toBe('alice');
  });
});

describe('while the JWKS endpoint is down', () => {
  const modes: Array<[string, JwksMode]> = [
    ['answering 503', 'unavailable'],
    ['dropping connections', 'drop'],
  ];

  it.each(modes)(
    'keeps validating with the keys held, even after maxAge (%s)',
    async (_label, mode) => {
      const { jwks, verify } = verifierFor({ cooldownMs: 30_000, maxAgeMs: 10 * 60_000 });
      expect((await verify(await iss.mint())).sub).toBe('alice');
      expect(iss.jwksRequests()).toBe(1);

      iss.jwksMode = mode;
      clock.advance(10 * 60_000 + 1); // past maxAge (and the cooldown): the next verification tries to refresh

      for (const token of [
        await iss.mint(),
        await iss.mint({}, { alg: 'ES256', kid: 'es-1' }, iss.keys.es.privateKey),
      ]) {
        expect((await verify(token)).sub).toBe('alice');
      }
      expect(iss.jwksRequests(), 'a refresh was attempted and failed').toBe(2);
      expect(jwks.fetches).toBe(2);

      // Stale keys are kept across several failed refreshes, retried once per cooldown.
      clock.advance(30_001);
      expect((await verify(await iss.mint())).sub).toBe('alice');
      expect(iss.jwksRequests()).toBe(3);

      // An unknown kid is still the caller's problem (401), not an outage.
      const [unknown] = await unknownKidTokens(1);
      expect(await reasonOf(verify(unknown!))).toBe('unknown_kid');
    },
  );

  it.each(modes)(
    'fails on a cold cache with JwksUnavailableError (%s), and recovers once it is back',
    async (_label, mode) => {
      iss.jwksMode = mode;
      const { verify } = verifierFor({ cooldownMs: 10_000 });
      const token = await iss.mint();

      const error = await verify(token).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(JwksUnavailableError);
      expect(error).not.toBeInstanceOf(InvalidTokenError);
      expect(iss.jwksRequests()).toBe(1);

      // A cold cache is not held back by the cooldown.
      iss.jwksMode = 'up';
      expect((await verify(token)).sub).toBe('alice');
      expect(iss.jwksRequests()).toBe(2);
    },
  );

  it.each(modes)(
    'answers 503 temporarily_unavailable through protect() on a cold cache, not 401 (%s)',
    async (_label, mode) => {
      const rs = createResourceServer({
        issuer: new URL(iss.issuer),
        introspectionMaxConcurrent: 16,
        audience: API_AUDIENCE,
        algorithms: ['RS256', 'ES256'],
        clockToleranceS: CLOCK_TOLERANCE_S,
        metrics: true,
        tokenShape: RFC_9068_SHAPE,
        enabled: true,
        writers: [],
        scopeMap: {},
      });
      let handled = 0;
      const route = protect(
        { scopes: ['notes:read'], callers: ['user'] },
        () => {
          handled++;
          return Response.json({ ok: true });
        },
        () => rs,
      );
      const token = await iss.mint();

      iss.jwksMode = mode;
      const response = await route(apiRequest({ headers: [bearer(token)] }));

      expect(response.status).toBe(503);
      expect(response.headers.get('Cache-Control')).toBe('no-store');
      expect(response.headers.get('Retry-After')).toBe('5');
      expect(response.headers.get('WWW-Authenticate')).toBeNull();
      expect(await response.json()).toMatchObject({ error: 'temporarily_unavailable' });
      expect(handled).toBe(0);
      expect(logs.rejections()).toEqual([]);
      expect(logs.lines()).toEqual([
        expect.objectContaining({ event: 'api_unavailable', error: 'jwks_unavailable' }),
      ]);
      logs.expectNoLeak(token);

      iss.jwksMode = 'up';
      expect((await route(apiRequest({ headers: [bearer(token)] }))).status).toBe(200);
      expect(handled).toBe(1);
    },
  );
});

describe('key rotation', () => {
  it('picks up a new signing key with exactly one extra fetch; a burst of 10 concurrent requests all succeed', async () => {
    const COOLDOWN_MS = 30_000;
    const { jwks, verify } = verifierFor({ cooldownMs: COOLDOWN_MS });
    expect((await verify(await iss.mint())).sub).toBe('alice');
    expect(iss.jwksRequests()).toBe(1);

    const keyB = await newKeyPair('RS256', 'rs-2');
    iss.jwks = [...iss.jwks, keyB.jwk];
    clock.advance(COOLDOWN_MS + 1);

    const burst = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        iss.mint({ jti: `b-${i}` }, { kid: 'rs-2' }, keyB.privateKey),
      ),
    );
    const results = await Promise.allSettled(burst.map((t) => verify(t)));

    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.sub : undefined))).toEqual(
      Array(10).fill('alice'),
    );
    expect(iss.jwksRequests()).toBe(2);
    expect(jwks.fetches).toBe(2);

    // The old key still validates; nothing more is fetched.
    expect((await verify(await iss.mint())).sub).toBe('alice');
    expect((await verify(burst[0]!)).sub).toBe('alice');
    expect(iss.jwksRequests()).toBe(2);
  });

  it('refuses a key published within the cooldown of the last fetch until the cooldown has passed (documented trade-off)', async () => {
    const COOLDOWN_MS = 30_000;
    const { verify } = verifierFor({ cooldownMs: COOLDOWN_MS });
    expect((await verify(await iss.mint())).sub).toBe('alice');

    const keyB = await newKeyPair('RS256', 'rs-3');
    iss.jwks = [...iss.jwks, keyB.jwk];
    const token = await iss.mint({}, { kid: 'rs-3' }, keyB.privateKey);

    expect(await reasonOf(verify(token))).toBe('unknown_kid');
    expect(iss.jwksRequests()).toBe(1);

    clock.advance(COOLDOWN_MS - 1);
    expect(await reasonOf(verify(token))).toBe('unknown_kid');
    expect(iss.jwksRequests()).toBe(1);

    clock.advance(2);
    expect((await verify(token)).sub).toBe('alice');
    expect(iss.jwksRequests()).toBe(2);
  });

  it('drops a retired key at the next refetch', async () => {
    const { verify } = verifierFor({ cooldownMs: 30_000, maxAgeMs: 10 * 60_000 });
    const oldToken = await iss.mint();
    expect((await verify(oldToken)).sub).toBe('alice');

    const keyC = await newKeyPair('RS256', 'rs-4');
    iss.jwks = [keyC.jwk, iss.keys.es.jwk];
    clock.advance(10 * 60_000 + 1);

    expect((await verify(await iss.mint({}, { kid: 'rs-4' }, keyC.privateKey))).sub).toBe('alice');
    expect(await reasonOf(verify(oldToken))).toBe('unknown_kid');
  });
});
