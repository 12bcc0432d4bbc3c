/**
 * Auth0's documented tokens against the auth0 profile: the Auth0-profile and RFC 9068-profile
 * access tokens are accepted (RBAC permissions read as roles), M2M tokens of both profiles as
 * machine tokens; the ID token is refused, also with the API's audience and without nonce/at_hash.
 * The tokens are in ../vectors.ts; the issuer, the verifier and the checks are in ./harness.ts.
 * Nothing is mocked.
 */
import { describe, expect, it } from 'vitest';
import { API_AUDIENCE } from '../../support/provider.ts';
import * as V from '../vectors';
import { build, expectAccepted, refusal, setUpIssuer, verifierFor } from './harness';

setUpIssuer();

// Auth0. https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles

describe('auth0 (https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles)', () => {
  const USERINFO = 'https://my-domain.auth0.com/userinfo';

  // "Auth0 profile sample token"; Header table: Auth0 profile `JWT`. aud keeps its array form.
  it('accepts the Auth0-profile sample token (typ JWT, azp, scope, aud [api, userinfo])', async () => {
    const token = await build(V.AUTH0_ACCESS, { aud: [API_AUDIENCE, USERINFO] });
    await expectAccepted(verifierFor('auth0'), token, {
      sub: 'auth0|123456',
      client_id: 'my_client_id',
      scopes: ['openid', 'profile', 'read:patients', 'read:admin'],
      roles: [],
      kind: 'user',
    });
  });

  // Claims table, `permissions` (dialect access_token_authz: "Enable RBAC" + "Add permissions in
  // the Access Token"), sample value verbatim. The profile reads permissions as roles.
  it('accepts it with the RBAC permissions claim (access_token_authz), read as roles', async () => {
    const token = await build(V.AUTH0_ACCESS, {
      aud: [API_AUDIENCE, USERINFO],
      claims: { permissions: V.AUTH0_PERMISSIONS },
    });
    await expectAccepted(verifierFor('auth0'), token, {
      sub: 'auth0|123456',
      client_id: 'my_client_id',
      scopes: ['openid', 'profile', 'read:patients', 'read:admin'],
      roles: V.AUTH0_PERMISSIONS,
      kind: 'user',
    });
  });

  // "RFC 9068 profile sample token"; Header table: RFC 9068 profile `at+jwt`; `client_id`, `jti`.
  it('accepts the RFC 9068-profile sample token (typ at+jwt, client_id)', async () => {
    const token = await build(V.AUTH0_RFC9068_ACCESS, { aud: [API_AUDIENCE, USERINFO] });
    await expectAccepted(verifierFor('auth0'), token, {
      sub: 'auth0|123456',
      client_id: 'my_client_id',
      scopes: ['openid', 'profile', 'read:patients', 'read:admin'],
      roles: [],
      kind: 'user',
    });
  });

  // Claims table `sub` sample for M2M ("<client id>@clients"); `gty: client-credentials` is
  // UNCONFIRMED in the docs (the table says gty is "Only present for password and refresh_token")
  // but present in every published M2M token; https://auth0.com/docs/get-started/authentication-and-authorization-flow/client-credentials-flow
  it('accepts an Auth0-profile M2M token (gty client-credentials, sub <id>@clients) as a machine token', async () => {
    const token = await build(V.AUTH0_M2M_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('auth0'), token, {
      sub: V.AUTH0_M2M_SUB,
      client_id: V.AUTH0_M2M_CLIENT,
      scopes: ['read:patients'],
      roles: [],
      kind: 'machine',
    });
  });

  // RFC 9068 profile M2M: same `sub` "<client id>@clients" (Claims table, both profiles), and
  // "The RFC 9068 profile does not use the `gty` claim". Nothing the profile reads marks it as a
  // machine's: sub ≠ client_id, no gty (see the report).
  it('accepts an RFC 9068-profile M2M token (sub <id>@clients, no gty) as a machine token', async () => {
    const token = await build(V.AUTH0_RFC9068_M2M_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('auth0'), token, {
      sub: V.AUTH0_M2M_SUB,
      client_id: V.AUTH0_M2M_CLIENT,
      scopes: ['read:patients'],
      roles: [],
      kind: 'machine',
    });
  });

  // ID token: https://auth0.com/docs/get-started/apis/scopes/sample-use-cases-scopes-and-claims
  // (aud = client id, nonce, at_hash); header typ JWT UNCONFIRMED.
  it('refuses the documented ID token (aud = client id: id_token_presented)', async () => {
    const token = await build(V.AUTH0_ID_TOKEN, { aud: 'my_client_id' });
    expect(await refusal(verifierFor('auth0'), token)).toBe('id_token_presented');
  });

  it('refuses it even with the API audience (nonce/at_hash rule)', async () => {
    const token = await build(V.AUTH0_ID_TOKEN, { aud: API_AUDIENCE });
    expect(await refusal(verifierFor('auth0'), token)).toBe('id_token_presented');
  });

  // Without nonce/at_hash, the ID token still has no `scope` and no `permissions` (the profile's markers).
  it('refuses it without nonce/at_hash and with the API audience (missing_access_token_marker)', async () => {
    const token = await build(V.AUTH0_ID_TOKEN, {
      aud: API_AUDIENCE,
      claims: { nonce: undefined, at_hash: undefined },
    });
    expect(await refusal(verifierFor('auth0'), token)).toBe('missing_access_token_marker');
  });
});
