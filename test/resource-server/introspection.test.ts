/**
 * RFC 7662 introspection (lib/resource-server/introspection.ts) against a real /introspect
 * endpoint (../support/provider.ts): what an answer must contain, the hashed cache and its lifetimes,
 * network failures (not cached; 503 through protect), and the resource server without
 * introspection credentials (opaque tokens refused).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readResourceServerConfig } from '@/lib/config';
import {
  InvalidTokenError,
  RFC_9068_SHAPE,
  type AccessToken,
} from '@/lib/resource-server/access-token';
import {
  createIntrospector,
  IntrospectionBusyError,
  type IntrospectorOptions,
} from '@/lib/resource-server/introspection';
import { protect } from '@/lib/resource-server/protect';
import { createResourceServer } from '@/lib/resource-server/resource-server';
import { nowS } from '../support/jws.ts';
import { parseChallenge } from '../support/challenge.ts';
import { closedPort } from '../support/http.ts';
import {
  API_AUDIENCE,
  RS_CLIENT_ID,
  RS_CLIENT_SECRET,
  startFakeProvider,
  type FakeProvider,
} from '../support/provider.ts';
import {
  apiRequest,
  bearer,
  captureLogs,
  freezeClock,
  loadApi,
  sha256Hex,
  type LogCapture,
} from '../support/resource-server.ts';

let iss: FakeProvider;
let logs: LogCapture;

beforeAll(async () => {
  iss = await startFakeProvider({ publish: ['rs', 'es'] });
});
afterAll(() => iss.close());

beforeEach(() => {
  iss.introspection.clear();
  iss.introspectionMode = 'up';
  iss.requests.length = 0;
  iss.introspectedTokens.length = 0;
  logs = captureLogs();
});
afterEach(() => {
  logs.restore();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** A fresh opaque token (one segment, b64token characters only). */
const opaque = () => `opaque-${crypto.randomUUID()}${crypto.randomUUID()}`.replaceAll('-', '_');

/** An RFC 7662 §2.2 answer for an active access token; overrides set to undefined are removed. */
function active(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const answer = {
    active: true,
    client_id: 'svc',
    aud: API_AUDIENCE,
    scope: 'stats:read',
    exp: nowS() + 300,
    iat: nowS(),
    token_type: 'access_token',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(answer).filter(([, v]) => v !== undefined));
}

function introspector(options: Partial<IntrospectorOptions> = {}) {
  return createIntrospector({
    as: { issuer: iss.issuer, introspection_endpoint: iss.introspectionEndpoint },
    clientId: RS_CLIENT_ID,
    clientSecret: RS_CLIENT_SECRET,
    audience: API_AUDIENCE,
    clockToleranceS: 30,
    allowInsecureRequests: true,
    timeoutMs: 2_000,
    ...options,
  });
}

/** What `promise` rejects with; fails the test if it resolves. */
async function rejection(promise: Promise<AccessToken>): Promise<unknown> {
  const outcome = await promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  expect(outcome, 'should have rejected').toHaveProperty('error');
  return (outcome as { error: unknown }).error;
}

async function reasonOf(promise: Promise<AccessToken>): Promise<string> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(InvalidTokenError);
  return (error as InvalidTokenError).reason;
}

describe('what an active answer must contain', () => {
  it('accepts an active token without sub as a machine token', async () => {
    const token = opaque();
    const exp = nowS() + 300;
    iss.introspection.set(token, active({ exp, scope: 'stats:read metrics:read' }));

    const result = await introspector()(token);

    expect(result).toEqual({
      roles: new Set(),
      sub: 'svc',
      client_id: 'svc',
      kind: 'machine',
      format: 'opaque',
      exp,
      scopes: new Set(['stats:read', 'metrics:read']),
    });
    expect(iss.introspectedTokens).toEqual([token]);
  });

  it('accepts an active token with sub as a user token, with several audiences', async () => {
    const token = opaque();
    iss.introspection.set(
      token,
      active({
        sub: 'alice',
        client_id: 'app',
        aud: ['https://other.test', API_AUDIENCE],
        scope: 'notes:read',
      }),
    );

    expect(await introspector()(token)).toMatchObject({
      sub: 'alice',
      client_id: 'app',
      kind: 'user',
      format: 'opaque',
      scopes: new Set(['notes:read']),
    });
  });

  it.each([
    ['inactive', 'introspection_inactive', () => ({ active: false })],
    ['another audience', 'wrong_audience', () => active({ aud: 'https://other-api.test' })],
    ['no audience', 'wrong_audience', () => active({ aud: undefined })],
    ['exp in the past (beyond the tolerance)', 'expired', () => active({ exp: nowS() - 120 })],
    ['no exp', 'missing_exp', () => active({ exp: undefined })],
    ['exp as a string', 'missing_exp', () => active({ exp: String(nowS() + 300) })],
    ['nbf in the future', 'not_yet_valid', () => active({ nbf: nowS() + 600 })],
    ['another issuer', 'wrong_issuer', () => active({ iss: 'https://evil.example' })],
    ['a refresh token', 'wrong_token_type', () => active({ token_type: 'refresh_token' })],
    ['no client_id', 'missing_client_id', () => active({ client_id: undefined })],
    // RFC 9449 §6.2: introspection says the token is DPoP-bound; it came as a bearer token.
    [
      'a DPoP-bound token (cnf.jkt)',
      'sender_constrained_token',
      () => active({ cnf: { jkt: '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I' } }),
    ],
  ] as const)('refuses %s with reason %s', async (_label, reason, answer) => {
    const token = opaque();
    iss.introspection.set(token, answer());
    expect(await reasonOf(introspector()(token))).toBe(reason);
    expect(iss.introspectionRequests()).toBe(1);
  });

  it('refuses an answer whose sub is not a string, rather than making it a machine token', async () => {
    const token = opaque();
    iss.introspection.set(token, active({ sub: 42, client_id: 'app', scope: 'stats:read' }));
    const outcome = await introspector()(token).then(
      (t) => t.kind,
      (e: unknown) => e,
    );
    expect(outcome).toBeInstanceOf(InvalidTokenError);
  });

  it("authenticates to the endpoint: wrong credentials are an outage, not the caller's fault", async () => {
    const token = opaque();
    iss.introspection.set(token, active());
    const error = await rejection(introspector({ clientSecret: 'wrong' })(token));
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(InvalidTokenError);
  });
});

describe('the cache', () => {
  it('reuses an answer (no second request) under a SHA-256 hex key that does not contain the token', async () => {
    const token = opaque();
    iss.introspection.set(token, active());
    const introspect = introspector();

    const first = await introspect(token);
    const second = await introspect(token);

    expect(second).toEqual(first);
    expect(iss.introspectionRequests()).toBe(1);
    const keys = introspect.cacheKeys();
    expect(keys).toEqual([sha256Hex(token)]);
    for (const key of keys) {
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect(key).not.toContain(token);
    }
    logs.expectNoLeak(token);
  });

  it('expires an answer after the TTL when exp is later', async () => {
    const token = opaque();
    iss.introspection.set(token, active({ exp: nowS() + 3600 }));
    const introspect = introspector({ ttlMs: 40 });
    const clock = freezeClock();

    await introspect(token);
    clock.advance(39);
    await introspect(token);
    expect(iss.introspectionRequests()).toBe(1);

    clock.advance(2);
    await introspect(token);
    expect(iss.introspectionRequests()).toBe(2);
  });

  it('expires an answer at exp when exp comes before the TTL', async () => {
    const token = opaque();
    const exp = nowS() + 5;
    iss.introspection.set(token, active({ exp }));
    const introspect = introspector({ ttlMs: 60 * 60_000, clockToleranceS: 0 });
    const clock = freezeClock();
    await introspect(token);

    // Before exp the answer is reused; after it the endpoint is asked again, and the same answer
    // is now an expired token.
    clock.set(exp * 1000 - 1);
    expect((await introspect(token)).exp).toBe(exp);
    expect(iss.introspectionRequests()).toBe(1);

    clock.set(exp * 1000 + 1000);
    expect(await reasonOf(introspect(token))).toBe('expired');
    expect(iss.introspectionRequests()).toBe(2);
  });

  it('caches an inactive answer briefly (inactiveTtlMs)', async () => {
    const token = opaque();
    const introspect = introspector({ inactiveTtlMs: 40 });
    const clock = freezeClock();

    expect(await reasonOf(introspect(token))).toBe('introspection_inactive');
    clock.advance(39);
    expect(await reasonOf(introspect(token))).toBe('introspection_inactive');
    expect(iss.introspectionRequests()).toBe(1);

    // Activated meanwhile (e.g. a token just issued): seen once the short TTL is over.
    iss.introspection.set(token, active());
    clock.advance(2);
    expect((await introspect(token)).kind).toBe('machine');
    expect(iss.introspectionRequests()).toBe(2);
  });

  it('does not cache a network failure, which is no InvalidTokenError', async () => {
    const token = opaque();
    iss.introspection.set(token, active());
    iss.introspectionMode = 'drop';
    const introspect = introspector();

    const error = await rejection(introspect(token));
    expect(error).not.toBeInstanceOf(InvalidTokenError);
    expect(introspect.cacheKeys()).toEqual([]);
    expect(iss.introspectionRequests()).toBe(1);

    iss.introspectionMode = 'up';
    expect((await introspect(token)).kind).toBe('machine');
    expect(iss.introspectionRequests()).toBe(2);
  });

  it('does not cache an endpoint where nothing listens either', async () => {
    const introspect = introspector({
      as: {
        issuer: iss.issuer,
        introspection_endpoint: `http://localhost:${await closedPort()}/introspect`,
      },
    });
    const token = opaque();
    expect(await rejection(introspect(token))).not.toBeInstanceOf(InvalidTokenError);
    expect(await rejection(introspect(token))).not.toBeInstanceOf(InvalidTokenError);
    expect(introspect.cacheKeys()).toEqual([]);
  });

  it('counts the requests it makes in introspect.requests', async () => {
    const introspect = introspector();
    await reasonOf(introspect(opaque()));
    await reasonOf(introspect(opaque()));
    expect(iss.introspectionRequests()).toBe(2);
    expect(introspect.requests).toBe(2);
  });
});

describe('a bound on concurrent introspection requests', () => {
  afterEach(() => {
    iss.introspectionDelayMs = 0;
  });

  it('beyond maxConcurrent in flight, refuses at once (IntrospectionBusyError), queueing nothing at the provider', async () => {
    iss.introspectionDelayMs = 300;
    const tokens = [opaque(), opaque(), opaque()];
    for (const token of tokens) iss.introspection.set(token, active());
    const intro = introspector({ maxConcurrent: 2 });
    const outcomes = await Promise.allSettled(tokens.map((t) => intro(t)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
    const refused = outcomes.findIndex((o) => o.status === 'rejected');
    expect((outcomes[refused] as PromiseRejectedResult).reason).toBeInstanceOf(
      IntrospectionBusyError,
    );
    expect(iss.introspectionRequests()).toBe(2);
    // Once those are answered, there is room again.
    expect((await intro(tokens[refused]!)).sub).toBeDefined();
    expect(iss.introspectionRequests()).toBe(3);
  });

  it('counts a token once: concurrent lookups of the same token share one request and one slot', async () => {
    iss.introspectionDelayMs = 200;
    const token = opaque();
    iss.introspection.set(token, active());
    const intro = introspector({ maxConcurrent: 1 });
    const outcomes = await Promise.allSettled([intro(token), intro(token), intro(token)]);
    expect(outcomes.every((o) => o.status === 'fulfilled')).toBe(true);
    expect(iss.introspectionRequests()).toBe(1);
  });
});

describe('through protect()', () => {
  function route(introspectionMaxConcurrent = 16) {
    const rs = createResourceServer({
      issuer: new URL(iss.issuer),
      introspectionMaxConcurrent,
      audience: API_AUDIENCE,
      algorithms: ['RS256'],
      clockToleranceS: 30,
      introspection: { clientId: RS_CLIENT_ID, clientSecret: RS_CLIENT_SECRET },
      metrics: true,
      tokenShape: RFC_9068_SHAPE,
      enabled: true,
      writers: [],
      scopeMap: {},
    });
    return protect(
      { scopes: ['stats:read'], callers: ['machine'] },
      (_request, token) => Response.json({ client_id: token.client_id }),
      () => rs,
    );
  }

  it('answers 503 when the introspection endpoint fails, then 200 once it is back', async () => {
    const token = opaque();
    iss.introspection.set(token, active());
    const handler = route();

    iss.introspectionMode = 'drop';
    const down = await handler(apiRequest({ path: '/stats', headers: [bearer(token)] }));
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ error: 'temporarily_unavailable' });
    expect(logs.rejections()).toEqual([]);
    expect(logs.lines()).toEqual([expect.objectContaining({ event: 'api_unavailable' })]);

    iss.introspectionMode = 'up';
    const up = await handler(apiRequest({ path: '/stats', headers: [bearer(token)] }));
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ client_id: 'svc' });
    logs.expectNoLeak(token);
  });

  it('answers 429 with Retry-After when the introspection bound is reached, and 200 for the ones in it', async () => {
    iss.introspectionDelayMs = 300;
    try {
      const [a, b] = [opaque(), opaque()];
      for (const token of [a, b]) iss.introspection.set(token, active());
      const handler = route(1);
      const answers = await Promise.all(
        [a, b].map((t) => handler(apiRequest({ path: '/stats', headers: [bearer(t)] }))),
      );
      expect(answers.map((r) => r.status).sort()).toEqual([200, 429]);
      const busy = answers.find((r) => r.status === 429)!;
      expect(busy.headers.get('Retry-After')).toBe('1');
      expect(busy.headers.get('Cache-Control')).toBe('no-store');
      expect(await busy.json()).toMatchObject({ error: 'too_many_requests' });
      expect(logs.rejections()).toEqual([
        expect.objectContaining({ reason: 'introspection_busy', status: 429 }),
      ]);
    } finally {
      iss.introspectionDelayMs = 0;
    }
  });

  it('answers 401 invalid_token (introspection_inactive) for an inactive token', async () => {
    const token = opaque();
    const response = await route()(apiRequest({ path: '/stats', headers: [bearer(token)] }));
    expect(response.status).toBe(401);
    expect(parseChallenge(response.headers.get('WWW-Authenticate')).error).toBe('invalid_token');
    expect(logs.rejections()).toEqual([
      expect.objectContaining({ reason: 'introspection_inactive', status: 401 }),
    ]);
    logs.expectNoLeak(token);
  });
});

describe('without introspection configured', () => {
  it('the credentials default only for the local IdP (OIDC_ISSUER unset)', () => {
    expect(readResourceServerConfig({}).introspection).toBeDefined();
    expect(readResourceServerConfig({ OIDC_ISSUER: iss.issuer }).introspection).toBeUndefined();
  });

  it('refuses an opaque token with opaque_not_supported, without asking the issuer', async () => {
    const api = await loadApi(iss.issuer, {
      API_INTROSPECTION_CLIENT_ID: undefined,
      API_INTROSPECTION_CLIENT_SECRET: undefined,
    });
    const token = opaque();
    iss.introspection.set(token, active({ sub: 'alice', client_id: 'app', scope: 'notes:read' })); // would be valid

    const response = await api.me.GET(apiRequest({ path: '/me', headers: [bearer(token)] }));

    expect(response.status).toBe(401);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(parseChallenge(response.headers.get('WWW-Authenticate')).error).toBe('invalid_token');
    expect(logs.rejections()).toEqual([
      expect.objectContaining({ reason: 'opaque_not_supported', status: 401 }),
    ]);
    expect(iss.introspectionRequests()).toBe(0);
    logs.expectNoLeak(token);

    // JWTs still work.
    expect(
      (await api.me.GET(apiRequest({ path: '/me', headers: [bearer(await iss.mint())] }))).status,
    ).toBe(200);
  });

  it('with the credentials configured, the same token is introspected and accepted', async () => {
    const api = await loadApi(iss.issuer);
    const token = opaque();
    iss.introspection.set(token, active({ sub: 'alice', client_id: 'app', scope: 'notes:read' }));

    const response = await api.me.GET(apiRequest({ path: '/me', headers: [bearer(token)] }));

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sub: 'alice', kind: 'user', format: 'opaque' });
    expect(iss.introspectedTokens).toEqual([token]);
  });
});
