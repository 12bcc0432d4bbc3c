/**
 * completeLogin (lib/client/callback.ts) against a real OpenID provider: the fake provider of
 * test/support/provider.ts, a node:http server on 127.0.0.1. Nothing is mocked; the client makes
 * real requests for discovery, the token exchange and the JWKS.
 *
 * Each test builds its own ID token and sets the provider's token reply (`provider.tokenReply`),
 * so the code is a fixed one and the transaction need not come from startLogin.
 *
 * What is proven: the callback fails closed. Every bad authorization response, token response or
 * ID token ends in a LoginError with a fixed reason, and a bad authorization response never
 * reaches the token endpoint (the code is not exchanged).
 */
import { createHash } from 'node:crypto';
import { SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoginFailure } from '@/lib/client/errors';
import type { Transaction } from '@/lib/client/transaction';
import { loadClient, type Client } from '../support/client.ts';
import { closedPort, corruptSignature } from '../support/http.ts';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  startFakeProvider,
  type FakeProvider,
  type SigningKey,
  type TokenReply,
} from '../support/provider.ts';

const CODE = 'abc';
/** config().redirectUri with the default APP_BASE_URL. */
const REDIRECT_URI = 'http://localhost:3000/auth/callback';

// ---------------------------------------------------------------------------------------------
// Signing keys, the provider's: the published one is in its JWKS, the unpublished one is not.

let publishedKey: SigningKey;
let unpublishedKey: SigningKey;

// ---------------------------------------------------------------------------------------------
// The client's side: transactions and authorization responses.

function newTransaction(): Transaction {
  return {
    kind: 'oidc-login',
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    code_verifier: oauth.generateRandomCodeVerifier(),
    returnTo: '/',
  };
}

/** The URL the browser lands on; only its query matters. Parameters set to undefined are left out. */
function callbackUrl(params: Record<string, string | undefined>): URL {
  const url = new URL(REDIRECT_URI);
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.append(name, value);
  return url;
}

// ---------------------------------------------------------------------------------------------
// ID tokens and token responses.

interface TokenContext {
  issuer: string;
  nonce: string;
}

/** The claims of a valid ID token; an override set to undefined removes the claim. */
function idTokenClaims(ctx: TokenContext, overrides: Record<string, unknown> = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: ctx.issuer,
    sub: 'user-1',
    aud: CLIENT_ID,
    iat: now,
    exp: now + 300,
    nonce: ctx.nonce,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}

function sign(
  claims: JWTPayload,
  key: CryptoKey = publishedKey.privateKey,
  kid = publishedKey.kid,
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
}

/** OIDC Core §3.2.2.9, computed independently of the app: node:crypto, left half of SHA-256. */
function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
}

function tokenResponse(idToken: string, overrides: Record<string, unknown> = {}): TokenReply {
  return {
    status: 200,
    body: {
      access_token: 'opaque-at',
      token_type: 'Bearer',
      expires_in: 300,
      refresh_token: 'rt',
      id_token: idToken,
      ...overrides,
    },
  };
}

// ---------------------------------------------------------------------------------------------

describe('completeLogin against a real provider', () => {
  let provider: FakeProvider;
  let client: Client;
  let tx: Transaction;
  let ctx: TokenContext;

  beforeEach(async () => {
    provider = await startFakeProvider();
    // Every code exchange gets the reply the test sets; until it sets one, a 500.
    provider.tokenReply = {
      status: 500,
      body: { error: 'server_error', error_description: 'no token reply set by the test' },
    };
    publishedKey = provider.signingKey();
    unpublishedKey = provider.unpublishedKey();
    client = await loadClient(provider.issuer);
    tx = newTransaction();
    ctx = { issuer: provider.issuer, nonce: tx.nonce };
  });

  afterEach(async () => {
    vi.unstubAllEnvs();
    await provider.close();
  });

  /** A well-formed authorization response for `tx`. */
  function goodResponse(): URL {
    return callbackUrl({ code: CODE, state: tx.state, iss: provider.issuer });
  }

  /** The reason of the LoginError that `promise` rejects with; fails the test on anything else. */
  async function reasonOf(promise: Promise<unknown>): Promise<LoginFailure> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, 'completeLogin should have rejected').toBeInstanceOf(client.LoginError);
    return (error as InstanceType<Client['LoginError']>).reason;
  }

  describe('accepts a valid response', () => {
    it('exchanges the code once, with the verifier, and returns the tokens and subject', async () => {
      const idToken = await sign(idTokenClaims(ctx));
      provider.tokenReply = tokenResponse(idToken);

      const result = await client.completeLogin(goodResponse(), tx);

      expect(result.sub).toBe('user-1');
      expect(result.accessToken).toBe('opaque-at');
      expect(result.refreshToken).toBe('rt');
      expect(result.idToken).toBe(idToken);
      const now = Math.floor(Date.now() / 1000);
      expect(result.accessTokenExpiresAt).toBeGreaterThanOrEqual(now + 295);
      expect(result.accessTokenExpiresAt).toBeLessThanOrEqual(now + 300);

      const tokenRequests = provider.tokenRequests();
      expect(tokenRequests).toHaveLength(1);
      const body = tokenRequests[0]!.body;
      expect(body.get('grant_type')).toBe('authorization_code');
      expect(body.get('code')).toBe(CODE);
      expect(body.get('code_verifier')).toBe(tx.code_verifier);
      expect(body.get('redirect_uri')).toBe(REDIRECT_URI);
      // The signature was checked against this provider's published keys.
      expect(provider.requests.filter((r) => r.path === '/jwks').length).toBeGreaterThanOrEqual(1);
    });

    it('accepts a single audience with azp naming this client, and a matching at_hash', async () => {
      const idToken = await sign(
        idTokenClaims(ctx, { azp: CLIENT_ID, at_hash: atHash('opaque-at') }),
      );
      provider.tokenReply = tokenResponse(idToken);

      const result = await client.completeLogin(goodResponse(), tx);

      expect(result.idToken).toBe(idToken);
    });

    it('accepts an iat nine minutes old (within ID_TOKEN_MAX_AGE_S)', async () => {
      const now = Math.floor(Date.now() / 1000);
      provider.tokenReply = tokenResponse(await sign(idTokenClaims(ctx, { iat: now - 540 })));

      expect((await client.completeLogin(goodResponse(), tx)).sub).toBe('user-1');
    });

    it('accepts several audiences when azp names this client', async () => {
      const idToken = await sign(idTokenClaims(ctx, { aud: [CLIENT_ID, 'other'], azp: CLIENT_ID }));
      provider.tokenReply = tokenResponse(idToken);

      const result = await client.completeLogin(goodResponse(), tx);

      expect(result.sub).toBe('user-1');
      expect(result.idToken).toBe(idToken);
    });
  });

  describe('rejects an invalid ID token with id_token_invalid', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const invalidIdTokens: Array<[string, (ctx: TokenContext) => Promise<string>]> = [
      ['a corrupted signature', async (c) => corruptSignature(await sign(idTokenClaims(c)))],
      [
        'a signature by an unpublished key under the published kid',
        (c) => sign(idTokenClaims(c), unpublishedKey.privateKey, publishedKey.kid),
      ],
      [
        'a signature by an unpublished key under an unknown kid',
        (c) => sign(idTokenClaims(c), unpublishedKey.privateKey, unpublishedKey.kid),
      ],
      ['alg "none" and no signature', async (c) => new UnsecuredJWT(idTokenClaims(c)).encode()],
      [
        'alg HS256, keyed with the client secret',
        (c) =>
          new SignJWT(idTokenClaims(c))
            .setProtectedHeader({ alg: 'HS256' })
            .sign(new TextEncoder().encode(CLIENT_SECRET)),
      ],
      ['another nonce', (c) => sign(idTokenClaims(c, { nonce: oauth.generateRandomNonce() }))],
      ['no nonce', (c) => sign(idTokenClaims(c, { nonce: undefined }))],
      ['another issuer', (c) => sign(idTokenClaims(c, { iss: 'https://evil.example' }))],
      ['another audience', (c) => sign(idTokenClaims(c, { aud: 'other-client' }))],
      [
        'several audiences and no azp',
        (c) => sign(idTokenClaims(c, { aud: [CLIENT_ID, 'other'] })),
      ],
      [
        'several audiences and azp of another client',
        (c) => sign(idTokenClaims(c, { aud: [CLIENT_ID, 'other'], azp: 'other' })),
      ],
      [
        'an expiry 10 minutes ago',
        (c) => sign(idTokenClaims(c, { iat: now() - 900, exp: now() - 600 })),
      ],
      ['no sub', (c) => sign(idTokenClaims(c, { sub: undefined }))],
      // lib/client/id-token.ts: what oauth4webapi leaves to the client in the code flow.
      ['one audience and azp of another client', (c) => sign(idTokenClaims(c, { azp: 'other' }))],
      [
        'an iat in the future',
        (c) => sign(idTokenClaims(c, { iat: now() + 600, exp: now() + 900 })),
      ],
      [
        'an iat 20 minutes ago, still unexpired',
        (c) => sign(idTokenClaims(c, { iat: now() - 1200, exp: now() + 300 })),
      ],
      [
        'the at_hash of another access token',
        (c) => sign(idTokenClaims(c, { at_hash: atHash('another-at') })),
      ],
      [
        'an at_hash that is not base64url of a hash',
        (c) => sign(idTokenClaims(c, { at_hash: 'not-a-hash' })),
      ],
      // Told apart from a body that is not JSON by what the error carries, not its message.
      [
        'a header that is not base64url JSON',
        async (c) =>
          `${Buffer.from('not json').toString('base64url')}.${Buffer.from(JSON.stringify(idTokenClaims(c))).toString('base64url')}.c2ln`,
      ],
      [
        'two segments instead of three',
        async (c) =>
          `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(idTokenClaims(c))).toString('base64url')}`,
      ],
    ];

    it.each(invalidIdTokens)('with %s', async (_label, makeIdToken) => {
      provider.tokenReply = tokenResponse(await makeIdToken(ctx));

      expect(await reasonOf(client.completeLogin(goodResponse(), tx))).toBe('id_token_invalid');
      expect(provider.tokenRequests()).toHaveLength(1);
    });

    it('with no ID token in the token response', async () => {
      provider.tokenReply = tokenResponse(await sign(idTokenClaims(ctx)), { id_token: undefined });

      expect(await reasonOf(client.completeLogin(goodResponse(), tx))).toBe('id_token_invalid');
    });
  });

  it('reports a bug of ours as internal_error, never as the provider being unavailable', async () => {
    provider.tokenReply = tokenResponse(await sign(idTokenClaims(ctx)));
    // A transaction that could never come from the app: the code exchange throws a TypeError.
    const broken = { ...tx, code_verifier: 42 } as unknown as Transaction;

    expect(await reasonOf(client.completeLogin(goodResponse(), broken))).toBe('internal_error');
    expect(provider.tokenRequests()).toHaveLength(0);
  });

  describe('rejects a bad token response with token_request_failed', () => {
    const badTokenReplies: Array<[string, (idToken: string) => TokenReply]> = [
      ['without access_token', (idToken) => tokenResponse(idToken, { access_token: undefined })],
      ['with token_type "mac"', (idToken) => tokenResponse(idToken, { token_type: 'mac' })],
      // RFC 9449: DPoP-bound, though this client never sent a DPoP proof (oauth4webapi lets it through).
      [
        'with token_type "DPoP", never asked for',
        (idToken) => tokenResponse(idToken, { token_type: 'DPoP' }),
      ],
      [
        'that is a 400 invalid_grant error',
        () => ({ status: 400, body: { error: 'invalid_grant' } }),
      ],
    ];

    it.each(badTokenReplies)('%s', async (_label, makeReply) => {
      provider.tokenReply = makeReply(await sign(idTokenClaims(ctx)));

      expect(await reasonOf(client.completeLogin(goodResponse(), tx))).toBe('token_request_failed');
      expect(provider.tokenRequests()).toHaveLength(1);
    });
  });

  describe('rejects a bad authorization response without exchanging the code', () => {
    const badResponses: Array<
      [
        string,
        (tx: Transaction, issuer: string) => Record<string, string | undefined>,
        LoginFailure,
      ]
    > = [
      [
        'error=access_denied',
        (t, iss) => ({ error: 'access_denied', state: t.state, iss }),
        'access_denied',
      ],
      [
        'error=server_error',
        (t, iss) => ({ error: 'server_error', state: t.state, iss }),
        'provider_error',
      ],
      [
        'another state',
        (_t, iss) => ({ code: CODE, state: oauth.generateRandomState(), iss }),
        'state_mismatch',
      ],
      ['no state', (_t, iss) => ({ code: CODE, iss }), 'state_mismatch'],
      ['no iss', (t) => ({ code: CODE, state: t.state }), 'issuer_mismatch'],
      [
        'the iss of another server',
        (t) => ({ code: CODE, state: t.state, iss: 'https://evil.example' }),
        'issuer_mismatch',
      ],
      [
        'the iss of this server spelled differently',
        (t, iss) => ({ code: CODE, state: t.state, iss: iss.replace('localhost', '127.0.0.1') }),
        'issuer_mismatch',
      ],
    ];

    it.each(badResponses)('with %s', async (_label, makeParams, reason) => {
      provider.tokenReply = tokenResponse(await sign(idTokenClaims(ctx)));

      expect(
        await reasonOf(client.completeLogin(callbackUrl(makeParams(tx, provider.issuer)), tx)),
      ).toBe(reason);
      expect(provider.tokenRequests()).toHaveLength(0);
    });

    // RFC 6749 §4.1.2: a success response carries exactly one code; anything else is the
    // provider's error, not an outage.
    it.each([
      ['no code', () => callbackUrl({ state: tx.state, iss: provider.issuer })],
      [
        'the code twice',
        () => {
          const url = goodResponse();
          url.searchParams.append('code', 'another-code');
          return url;
        },
      ],
    ])('with %s', async (_label, makeUrl) => {
      provider.tokenReply = tokenResponse(await sign(idTokenClaims(ctx)));

      expect(await reasonOf(client.completeLogin(makeUrl(), tx))).toBe('provider_error');
      expect(provider.tokenRequests()).toHaveLength(0);
    });
  });

  describe('rejects with provider_unavailable when discovery fails', () => {
    it('because nothing listens at the issuer', async () => {
      client = await loadClient(`http://localhost:${await closedPort()}`);

      expect(await reasonOf(client.completeLogin(goodResponse(), tx))).toBe('provider_unavailable');
      expect(provider.requests).toHaveLength(0);
    });
  });

  it('rejects with issuer_mismatch when the discovery document names another issuer', async () => {
    provider.discoveryIssuer = 'https://evil.example';
    provider.tokenReply = tokenResponse(await sign(idTokenClaims(ctx)));

    expect(await reasonOf(client.completeLogin(goodResponse(), tx))).toBe('issuer_mismatch');
    expect(provider.tokenRequests()).toHaveLength(0);
  });
});
