/**
 * Sign-in (startLogin → completeLogin, lib/client) against a hostile OpenID provider
 * (test/support/provider.ts): a real node:http server whose misbehaviour is chosen per login.
 *
 * Every login here starts with the real startLogin, so the provider checks what a real one
 * would (client_secret_basic, one-time code, redirect_uri, PKCE S256) and puts the
 * transaction's nonce in its ID tokens. Each test has its own provider and a fresh client module
 * graph (config, discovery cache, JWKS cache).
 *
 * What is proven, for every misbehaviour: completeLogin rejects with a LoginError whose reason is
 * the expected fixed code and whose message is that code (no provider text); a bad authorization
 * response never reaches the token endpoint; and a provider that hangs or is slow costs at most
 * the app's per-request limit (HTTP_TIMEOUT_MS) plus a small margin.
 *
 * test/client/callback.test.ts covers the same ID-token checks one token at a time with a
 * fixed code; this file adds the per-login provider, the future `iat`, key rotation, the
 * token-endpoint failures (500, bad JSON, hanging), the HTML error_description and availability.
 */
import { afterAll, describe, it, vi, type TestContext } from 'vitest';
import { ISSUER_TIMEOUT_MS as HTTP_TIMEOUT_MS } from '@/lib/issuer-http';
import type { LoginError, LoginFailure } from '@/lib/client/errors';
import { loadClient, rejectionOf, timed, type Client } from '../../support/client.ts';
import {
  HTML_ERROR_DESCRIPTION,
  startFakeProvider,
  SUBJECT,
  type AuthorizationResponse,
  type Behaviour,
  type FakeProvider,
  type IdTokenFault,
  type TokenFault,
} from '../../support/provider.ts';

/** A slow provider answers this late: well past the client's limit. */
const SLOW_MS = HTTP_TIMEOUT_MS + 2_000;
/** What a timed-out call may take beyond HTTP_TIMEOUT_MS (event loop, the rest of the flow). */
const MARGIN_MS = 1_000;
/** For the tests that wait for the client's limit. */
const SLOW_TEST_TIMEOUT_MS = 20_000;

afterAll(() => {
  vi.unstubAllEnvs();
});

type Context = Pick<TestContext, 'expect' | 'onTestFinished'>;

/** A provider for this test (closed when it finishes) and a client loaded for it. */
async function setup(ctx: Context): Promise<{ provider: FakeProvider; client: Client }> {
  const provider = await startFakeProvider({ slowMs: SLOW_MS });
  ctx.onTestFinished(() => provider.close());
  return { provider, client: await loadClient(provider.issuer) };
}

/** startLogin, then the provider's authorization endpoint issues a code with `behaviour`. */
async function begin(client: Client, provider: FakeProvider, behaviour: Behaviour) {
  const { authorizationUrl, transaction } = await client.startLogin('/dashboard');
  return { login: provider.nextLogin(behaviour, authorizationUrl), tx: transaction };
}

/**
 * Asserts `error` is a LoginError (with `reason`, when given) that carries nothing but its fixed
 * reason code: the message is the code itself.
 */
function expectLoginFailure(
  ctx: Context,
  client: Client,
  error: unknown,
  reason?: LoginFailure,
): LoginError {
  ctx
    .expect(error, 'completeLogin should have rejected with a LoginError')
    .toBeInstanceOf(client.LoginError);
  const loginError = error as LoginError;
  ctx.expect(client.isLoginFailure(loginError.reason)).toBe(true);
  ctx.expect(loginError.message).toBe(loginError.reason);
  if (reason) ctx.expect(loginError.reason).toBe(reason);
  return loginError;
}

const causeMessage = (error: LoginError) =>
  error.cause instanceof Error ? error.cause.message : '';

/** Replaces Date.now (only) so the JWKS cache ages without waiting; timers keep real time. */
function freezeClock(ctx: Context): { advance(ms: number): void } {
  let now = Date.now();
  const spy = vi.spyOn(Date, 'now').mockImplementation(() => now);
  ctx.onTestFinished(() => spy.mockRestore());
  return { advance: (ms) => void (now += ms) };
}

// ---------------------------------------------------------------------------------------------

describe('sign-in against a hostile provider', () => {
  it('baseline: a well-behaved login succeeds (the provider checks PKCE, the code and the client)', async (ctx) => {
    const { provider, client } = await setup(ctx);
    const { login, tx } = await begin(client, provider, 'valid');

    const tokens = await client.completeLogin(login.callbackUrl(), tx);

    ctx.expect(tokens.sub).toBe(SUBJECT);
    ctx.expect(tokens.accessToken).toMatch(/^at-/);
    ctx.expect(login.exchanges()).toBe(1);
    ctx.expect(provider.jwksRequests()).toBe(1);
    // The code is one-time: the same callback again is refused at the token endpoint.
    expectLoginFailure(
      ctx,
      client,
      await rejectionOf(client.completeLogin(login.callbackUrl(), tx)),
      'token_request_failed',
    );
  });

  it('an ID token signed with another algorithm than OIDC_ID_TOKEN_SIGNING_ALG fails closed: the alg is pinned', async (ctx) => {
    vi.stubEnv('OIDC_ID_TOKEN_SIGNING_ALG', 'PS256'); // the provider signs RS256 (and advertises only RS256)
    ctx.onTestFinished(() => void vi.stubEnv('OIDC_ID_TOKEN_SIGNING_ALG', undefined));
    const { provider, client } = await setup(ctx);
    const { login, tx } = await begin(client, provider, 'valid');

    const { error } = await timed(() => client.completeLogin(login.callbackUrl(), tx));

    ctx
      .expect(causeMessage(expectLoginFailure(ctx, client, error, 'id_token_invalid')))
      .toMatch(/unexpected JWT "alg" header parameter/);
    ctx.expect(login.exchanges()).toBe(1);
  });

  describe('ID token: id_token_invalid, after exactly one code exchange', () => {
    // The second column is the check that refused it (the LoginError's cause), so a case cannot
    // pass by failing for an unrelated reason.
    const cases: Array<[IdTokenFault, RegExp]> = [
      ['bad-signature', /JWT signature verification failed/],
      ['unpublished-key', /no applicable keys found/],
      ['alg-none', /unexpected JWT "alg" header parameter/],
      ['wrong-iss', /unexpected JWT "iss"/],
      ['wrong-aud', /unexpected JWT "aud"/],
      ['aud-array-wrong-azp', /unexpected ID Token "azp"/],
      ['aud-array-no-azp', /additional untrusted audiences/],
      ['expired', /unexpected JWT "exp"/],
      ['iat-future', /iat_in_future/],
      ['no-nonce', /JWT "nonce" \(nonce\) claim missing/],
      ['wrong-nonce', /unexpected ID Token "nonce" claim value/],
      ['no-sub', /JWT "sub" \(subject\) claim missing/],
      ['no-kid', /multiple applicable keys found, a "kid" JWT Header Parameter is required/],
    ];

    it.for(cases)('%s', async ([behaviour, cause], ctx) => {
      const { provider, client } = await setup(ctx);
      const { login, tx } = await begin(client, provider, behaviour);

      const { error } = await timed(() => client.completeLogin(login.callbackUrl(), tx));

      ctx
        .expect(causeMessage(expectLoginFailure(ctx, client, error, 'id_token_invalid')))
        .toMatch(cause);
      ctx.expect(login.exchanges()).toBe(1);
    });
  });

  describe('key rotation', () => {
    // oauth4webapi keeps the JWKS per discovery document (module state), refetches for a key it
    // does not find only once the cached JWKS is 60 s old, and drops the cache at 300 s. The
    // client adds one refetch on an unknown kid, at most once per JWKS_REFETCH_COOLDOWN_MS
    // (lib/client/authorization-server.ts), so a key published a moment ago is accepted. The
    // rotation here is abrupt (no overlap): the new JWKS holds none of the old keys.

    it('between discovery and the first login: an ID token signed by the new key is accepted', async (ctx) => {
      const { provider, client } = await setup(ctx);
      const { login, tx } = await begin(client, provider, 'valid'); // discovery, no JWKS yet
      await provider.rotateKeys();

      const tokens = await client.completeLogin(login.callbackUrl(), tx);

      ctx.expect(tokens.sub).toBe(SUBJECT);
      ctx.expect(provider.jwksRequests()).toBe(1); // fetched at login time: already the new keys
    });

    it('between discovery and the first login: an ID token signed by the retired key fails closed', async (ctx) => {
      const { provider, client } = await setup(ctx);
      const { login, tx } = await begin(client, provider, 'retired-key');
      await provider.rotateKeys();

      const { error } = await timed(() => client.completeLogin(login.callbackUrl(), tx));

      ctx
        .expect(causeMessage(expectLoginFailure(ctx, client, error, 'id_token_invalid')))
        .toMatch(/no applicable keys found/);
      ctx.expect(provider.jwksRequests()).toBe(2); // the unknown kid refetched once, in vain
    });

    it('after a login cached the JWKS: a key published a moment ago is accepted at once; unknown kids refetch at most once per cooldown', async (ctx) => {
      const { provider, client } = await setup(ctx);
      const clock = freezeClock(ctx);
      const first = await begin(client, provider, 'valid');
      await client.completeLogin(first.login.callbackUrl(), first.tx);
      ctx.expect(provider.jwksRequests()).toBe(1);
      await provider.rotateKeys();

      clock.advance(1_000); // the cached JWKS is 1 s old: oauth4webapi alone would refuse for 59 s more
      const second = await begin(client, provider, 'valid'); // signed by the new key
      const tokens = await client.completeLogin(second.login.callbackUrl(), second.tx);
      ctx.expect(tokens.sub).toBe(SUBJECT);
      ctx.expect(provider.jwksRequests()).toBe(2);

      // A kid the provider never published: refused, and within the cooldown not refetched.
      const third = await begin(client, provider, 'unpublished-key');
      const { error } = await timed(() =>
        client.completeLogin(third.login.callbackUrl(), third.tx),
      );
      ctx
        .expect(causeMessage(expectLoginFailure(ctx, client, error, 'id_token_invalid')))
        .toMatch(/no applicable keys found/);
      ctx.expect(provider.jwksRequests()).toBe(2);

      clock.advance(client.JWKS_REFETCH_COOLDOWN_MS);
      const fourth = await begin(client, provider, 'unpublished-key');
      const { error: again } = await timed(() =>
        client.completeLogin(fourth.login.callbackUrl(), fourth.tx),
      );
      expectLoginFailure(ctx, client, again, 'id_token_invalid');
      ctx.expect(provider.jwksRequests()).toBe(3); // one refetch per cooldown
    });

    it('after a login cached the JWKS: the retired key is still accepted from the cache, until the cache expires at 300 s', async (ctx) => {
      const { provider, client } = await setup(ctx);
      const clock = freezeClock(ctx);
      const first = await begin(client, provider, 'valid');
      await client.completeLogin(first.login.callbackUrl(), first.tx);
      await provider.rotateKeys();

      const second = await begin(client, provider, 'retired-key');
      const tokens = await client.completeLogin(second.login.callbackUrl(), second.tx);
      ctx.expect(tokens.sub).toBe(SUBJECT);
      ctx.expect(provider.jwksRequests()).toBe(1);

      clock.advance(301_000);
      const third = await begin(client, provider, 'retired-key');
      const { error } = await timed(() =>
        client.completeLogin(third.login.callbackUrl(), third.tx),
      );
      ctx
        .expect(causeMessage(expectLoginFailure(ctx, client, error, 'id_token_invalid')))
        .toMatch(/no applicable keys found/);
      ctx.expect(provider.jwksRequests()).toBe(3); // expired cache refetched, then the unknown kid once more
    });
  });

  describe('token response: token_request_failed, after exactly one code exchange', () => {
    const cases: Array<[TokenFault, RegExp]> = [
      ['no-access-token', /"access_token" property must be a string/],
      ['token-type-mac', /unsupported `token_type` value/],
      ['invalid-grant', /server responded with an error in the response body/],
      ['server-error', /unexpected HTTP status code/],
      ['invalid-json', /failed to parse "response" body as JSON/],
    ];

    it.for(cases)('%s', async ([behaviour, cause], ctx) => {
      const { provider, client } = await setup(ctx);
      const { login, tx } = await begin(client, provider, behaviour);

      const { error } = await timed(() => client.completeLogin(login.callbackUrl(), tx));

      ctx
        .expect(causeMessage(expectLoginFailure(ctx, client, error, 'token_request_failed')))
        .toMatch(cause);
      ctx.expect(login.exchanges()).toBe(1);
    });
  });

  describe('authorization response: refused before the token endpoint (the code is never exchanged)', () => {
    const cases: Array<[AuthorizationResponse, LoginFailure]> = [
      ['no-state', 'state_mismatch'],
      ['other-state', 'state_mismatch'],
      ['wrong-iss', 'issuer_mismatch'],
      ['no-iss', 'issuer_mismatch'],
      ['access-denied', 'access_denied'],
      ['access-denied-html', 'access_denied'],
    ];

    it.for(cases)('%s → %s', async ([response, reason], ctx) => {
      const { provider, client } = await setup(ctx);
      const { login, tx } = await begin(client, provider, 'valid');
      // `other-state`: this login's code with the state of another transaction in progress.
      const otherState =
        response === 'other-state' ? (await begin(client, provider, 'valid')).tx.state : undefined;

      const url = login.callbackUrl(response, { otherState });
      const { error } = await timed(() => client.completeLogin(url, tx));

      expectLoginFailure(ctx, client, error, reason);
      ctx.expect(login.exchanges()).toBe(0);
      ctx.expect(provider.tokenRequests()).toHaveLength(0);
    });

    it('access-denied-html: the HTML in error_description reaches neither the error nor its log line', async (ctx) => {
      const { provider, client } = await setup(ctx);
      const { login, tx } = await begin(client, provider, 'valid');
      const url = login.callbackUrl('access-denied-html');
      ctx.expect(url.searchParams.get('error_description')).toBe(HTML_ERROR_DESCRIPTION);

      const { error } = await timed(() => client.completeLogin(url, tx));

      const loginError = expectLoginFailure(ctx, client, error, 'access_denied');
      for (const text of [
        loginError.message,
        loginError.reason,
        String(loginError),
        causeMessage(loginError), // what app/auth/responses.ts logs
        JSON.stringify(client.LOGIN_FAILURE_MESSAGES[loginError.reason]), // what the error page shows
      ]) {
        ctx.expect(text).not.toContain('<');
        ctx.expect(text).not.toContain('alert');
      }
      ctx.expect(provider.tokenRequests()).toHaveLength(0);
    });
  });

  describe('availability', () => {
    // Discovery is cached for an hour by the instance that ran startLogin, so the callback is
    // completed by a second client instance (as on another server behind a load balancer),
    // which has to fetch the discovery document itself.

    it('discovery refused (nothing listens): provider_unavailable', async (ctx) => {
      const { provider, client } = await setup(ctx);
      const { login, tx } = await begin(client, provider, 'valid');
      const otherInstance = await loadClient(provider.issuer);
      await provider.refuseConnections();

      const { error } = await timed(() => otherInstance.completeLogin(login.callbackUrl(), tx));

      expectLoginFailure(ctx, otherInstance, error, 'provider_unavailable');
      ctx.expect(login.exchanges()).toBe(0);
    });

    it('discovery answers 503: provider_unavailable', async (ctx) => {
      const { provider, client } = await setup(ctx);
      const { login, tx } = await begin(client, provider, 'valid');
      const otherInstance = await loadClient(provider.issuer);
      provider.discovery = 'unavailable';

      const { error } = await timed(() => otherInstance.completeLogin(login.callbackUrl(), tx));

      expectLoginFailure(ctx, otherInstance, error, 'provider_unavailable');
      ctx.expect(provider.discoveryRequests()).toBe(2);
      ctx.expect(login.exchanges()).toBe(0);
    });

    // The JWKS cannot be fetched: the login fails closed (no tokens), reported as an outage
    // (provider_unavailable), not as an invalid ID token.
    it.for(['jwks-unavailable', 'jwks-dropped'] as const)(
      '%s: fails closed with provider_unavailable',
      async (behaviour, ctx) => {
        const { provider, client } = await setup(ctx);
        const { login, tx } = await begin(client, provider, behaviour);

        const { error } = await timed(() => client.completeLogin(login.callbackUrl(), tx));

        expectLoginFailure(ctx, client, error);
        ctx.expect(login.exchanges()).toBe(1);
        ctx.expect(provider.jwksRequests()).toBe(1);
      },
    );
  });

  describe(`time limits: a silent provider costs at most HTTP_TIMEOUT_MS (${HTTP_TIMEOUT_MS} ms) + ${MARGIN_MS} ms`, () => {
    // Each of these waits for the client's limit, so they run concurrently: five tests, vitest's
    // default maxConcurrency (a sixth would start a second batch and add another 8 s). The two
    // token-endpoint stalls share one test for that reason.

    function expectTimedOut(ctx: Context, ms: number): void {
      ctx
        .expect(ms, 'ended before the limit: not a timeout')
        .toBeGreaterThanOrEqual(HTTP_TIMEOUT_MS - 50);
      ctx.expect(ms, 'took longer than the limit').toBeLessThan(HTTP_TIMEOUT_MS + MARGIN_MS);
    }

    /** A login with `behaviour` on its own provider and client, timed. */
    async function timedLogin(ctx: Context, behaviour: Behaviour) {
      const { provider, client } = await setup(ctx);
      const { login, tx } = await begin(client, provider, behaviour);
      return {
        provider,
        client,
        login,
        ...(await timed(() => client.completeLogin(login.callbackUrl(), tx))),
      };
    }

    it.concurrent(
      'token endpoint stalls: never answers, or sends 200 and headers but never the body → provider_unavailable',
      async (ctx) => {
        const [silent, bodiless] = await Promise.all([
          timedLogin(ctx, 'hang'),
          timedLogin(ctx, 'hang-after-headers'),
        ]);

        expectLoginFailure(ctx, silent.client, silent.error, 'provider_unavailable');
        expectTimedOut(ctx, silent.ms);
        ctx.expect(silent.login.exchanges()).toBe(1);

        // The limit also covers reading the body: oauth4webapi reports a parse error whose
        // cause is the TimeoutError, and that is an outage too.
        expectLoginFailure(ctx, bodiless.client, bodiless.error, 'provider_unavailable');
        expectTimedOut(ctx, bodiless.ms);
        ctx.expect(bodiless.login.exchanges()).toBe(1);
      },
      SLOW_TEST_TIMEOUT_MS,
    );

    it.concurrent(
      'discovery answers after the limit: provider_unavailable',
      async (ctx) => {
        const { provider, client } = await setup(ctx);
        const { login, tx } = await begin(client, provider, 'valid');
        const otherInstance = await loadClient(provider.issuer);
        provider.discovery = 'slow';

        const { ms, error } = await timed(() =>
          otherInstance.completeLogin(login.callbackUrl(), tx),
        );

        expectLoginFailure(ctx, otherInstance, error, 'provider_unavailable');
        expectTimedOut(ctx, ms);
        ctx.expect(login.exchanges()).toBe(0);
      },
      SLOW_TEST_TIMEOUT_MS,
    );

    it.concurrent(
      'JWKS answers after the limit: provider_unavailable',
      async (ctx) => {
        const { provider, client, login, ms, error } = await timedLogin(ctx, 'jwks-slow');

        expectLoginFailure(ctx, client, error, 'provider_unavailable');
        expectTimedOut(ctx, ms);
        ctx.expect(login.exchanges()).toBe(1);
        ctx.expect(provider.jwksRequests()).toBe(1);
      },
      SLOW_TEST_TIMEOUT_MS,
    );
  });
});
