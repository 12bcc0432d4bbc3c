/**
 * refreshTokens (lib/client/refresh.ts) against the hostile provider (test/support/provider.ts).
 *
 * The error type is the contract with lib/session/session.ts: RefreshRejectedError ends the
 * session (signed out); any other error keeps it and the route answers 503. So a refused grant,
 * or a refreshed ID token for someone else, must be a RefreshRejectedError, and an outage must
 * not be. Nothing a hostile provider sends may be silently accepted.
 */
import { UnsecuredJWT } from 'jose';
import { afterAll, describe, it, vi, type TestContext } from 'vitest';
import { ISSUER_TIMEOUT_MS as HTTP_TIMEOUT_MS } from '@/lib/issuer-http';
import type { TokenSet } from '@/lib/client/tokens';
import { loadClient, timed, type Client } from '../../support/client.ts';
import {
  startFakeProvider,
  SUBJECT,
  type Behaviour,
  type FakeProvider,
} from '../../support/provider.ts';

const MARGIN_MS = 1_000;

afterAll(() => {
  vi.unstubAllEnvs();
});

type Context = Pick<TestContext, 'expect' | 'onTestFinished'>;

/** A provider for this test, a client for it, and a session whose refresh token gets `behaviour`. */
async function setup(ctx: Context, behaviour: Behaviour) {
  const provider: FakeProvider = await startFakeProvider({ slowMs: HTTP_TIMEOUT_MS + 2_000 });
  ctx.onTestFinished(() => provider.close());
  const client: Client = await loadClient(provider.issuer);
  const current: TokenSet & { sub: string } = {
    sub: SUBJECT,
    idToken: 'previous-id-token',
    accessToken: 'previous-access-token',
    accessTokenExpiresAt: Math.floor(Date.now() / 1000),
    tokensReceivedAt: Math.floor(Date.now() / 1000) - 300,
    scope: 'openid',
    refreshToken: provider.issueRefreshToken(behaviour),
  };
  return { provider, client, current };
}

function expectRefreshRequest(ctx: Context, provider: FakeProvider, current: TokenSet): void {
  const requests = provider.tokenRequests();
  ctx.expect(requests).toHaveLength(1);
  ctx.expect(requests[0]!.body.get('grant_type')).toBe('refresh_token');
  ctx.expect(requests[0]!.body.get('refresh_token')).toBe(current.refreshToken);
}

describe('refreshTokens against a hostile provider', () => {
  it('baseline: a valid refresh returns the new tokens for the same subject', async (ctx) => {
    const { provider, client, current } = await setup(ctx, 'valid');

    const tokens = await client.refreshTokens(current);

    ctx.expect(tokens.accessToken).toMatch(/^at-/);
    ctx.expect(tokens.idToken).not.toBe(current.idToken);
    ctx.expect(tokens.refreshToken).not.toBe(current.refreshToken);
    expectRefreshRequest(ctx, provider, current);
    ctx.expect(provider.jwksRequests()).toBe(1); // the new ID token's signature was checked
  });

  it('400 invalid_grant: RefreshRejectedError (the session ends)', async (ctx) => {
    const { provider, client, current } = await setup(ctx, 'invalid-grant');

    const { error } = await timed(() => client.refreshTokens(current));

    ctx.expect(error).toBeInstanceOf(client.RefreshRejectedError);
    expectRefreshRequest(ctx, provider, current);
  });

  it('500: an error that is not RefreshRejectedError (the session is kept, 503)', async (ctx) => {
    const { provider, client, current } = await setup(ctx, 'server-error');

    const { error } = await timed(() => client.refreshTokens(current));

    ctx.expect(error).toBeInstanceOf(Error);
    ctx.expect(error).not.toBeInstanceOf(client.RefreshRejectedError);
    expectRefreshRequest(ctx, provider, current);
  });

  it('token endpoint never answers: rejects within the limit, not with RefreshRejectedError', async (ctx) => {
    const { provider, client, current } = await setup(ctx, 'hang');

    const { ms, error } = await timed(() => client.refreshTokens(current));

    ctx.expect(error).toBeInstanceOf(Error);
    ctx.expect(error).not.toBeInstanceOf(client.RefreshRejectedError);
    ctx.expect((error as Error).name).toBe('TimeoutError');
    ctx
      .expect(ms, 'ended before the limit: not a timeout')
      .toBeGreaterThanOrEqual(HTTP_TIMEOUT_MS - 50);
    ctx.expect(ms, 'took longer than the limit').toBeLessThan(HTTP_TIMEOUT_MS + MARGIN_MS);
    expectRefreshRequest(ctx, provider, current);
  }, 20_000);

  it('a refreshed ID token for another subject: RefreshRejectedError (OIDC Core §12.2)', async (ctx) => {
    const { provider, client, current } = await setup(ctx, 'other-sub');

    const { error } = await timed(() => client.refreshTokens(current));

    ctx.expect(error).toBeInstanceOf(client.RefreshRejectedError);
    ctx
      .expect((error as InstanceType<typeof client.RefreshRejectedError>).reason)
      .toBe('subject_changed');
    expectRefreshRequest(ctx, provider, current);
  });

  it('a refreshed ID token with a bad signature: RefreshRejectedError, the tokens are not accepted', async (ctx) => {
    const { provider, client, current } = await setup(ctx, 'bad-signature');

    const { error } = await timed(() => client.refreshTokens(current));

    // Not a RefreshRejectedError today (an OperationProcessingError from oauth4webapi): the
    // session keeps its previous tokens and the route answers 503. See the report.
    // Fail closed: the session ends rather than keep retrying with the old tokens.
    ctx.expect(error).toBeInstanceOf(client.RefreshRejectedError);
    ctx
      .expect(((error as Error).cause as Error).message)
      .toMatch(/JWT signature verification failed/);
    expectRefreshRequest(ctx, provider, current);
  });

  it('JWKS unavailable while checking a refreshed ID token: rejects, not with RefreshRejectedError', async (ctx) => {
    const { provider, client, current } = await setup(ctx, 'jwks-unavailable');

    const { error } = await timed(() => client.refreshTokens(current));

    ctx.expect(error).toBeInstanceOf(Error);
    ctx.expect(error).not.toBeInstanceOf(client.RefreshRejectedError);
    ctx.expect(provider.jwksRequests()).toBe(1);
  });

  // As at login (lib/client/id-token.ts checkIssuedAt): oauth4webapi lets a future iat pass.
  it('a refreshed ID token issued 1 hour in the future: ends the session, as at login', async (ctx) => {
    const { client, current } = await setup(ctx, 'iat-future');

    const { error } = await timed(() => client.refreshTokens(current));

    ctx.expect(error).toBeInstanceOf(client.RefreshRejectedError);
  });
  // OIDC Core §12.2: a refreshed ID token that carries a nonce must carry the original one.
  it('a refreshed ID token with a nonce other than the original: RefreshRejectedError', async (ctx) => {
    const { provider, client, current } = await setup(ctx, 'wrong-nonce');
    const signedIn = {
      ...current,
      idToken: new UnsecuredJWT({ sub: SUBJECT, nonce: 'the-original-nonce' }).encode(),
    };

    const { error } = await timed(() => client.refreshTokens(signedIn));

    ctx.expect(error).toBeInstanceOf(client.RefreshRejectedError);
    ctx
      .expect((error as InstanceType<typeof client.RefreshRejectedError>).reason)
      .toBe('nonce_changed');
    expectRefreshRequest(ctx, provider, signedIn);
  });
});
