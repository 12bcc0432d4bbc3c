/**
 * ZITADEL tokens, built from the source, against the zitadel profile: a JWT access token is
 * accepted with an empty scope set; its ID token, which usually shares the project audience, is
 * refused with and without it, and without nonce/at_hash. The tokens are in ../vectors.ts; the
 * issuer, the verifier and the checks are in ./harness.ts. Nothing is mocked.
 */
import { describe, expect, it } from 'vitest';
import { API_AUDIENCE } from '../../support/provider.ts';
import * as V from '../vectors';
import { build, expectAccepted, refusal, setUpIssuer, verifierFor } from './harness';

setUpIssuer();

// ZITADEL. Built from the source (no published example token): zitadel/oidc pkg/oidc/token.go,
// zitadel internal/api/oidc/token.go (createJWT), docs claims.md / scopes.md.

describe('zitadel (https://zitadel.com/docs/apis/openidoauth/claims)', () => {
  // NewAccessTokenClaims: client_id, jti, aud = client(s) + project, no scope; roles object
  // (internal/api/oidc/userinfo.go). The JWT carries no scope, so verify accepts it with an empty
  // scope set, and /api then refuses every route with insufficient_scope (each needs notes:read or
  // another scope): the guide recommends ZITADEL's default opaque tokens with introspection, which
  // return `scope` (https://zitadel.com/docs/apis/openidoauth/endpoints#introspection_endpoint).
  it('accepts a JWT access token (typ JWT, client_id, jti) with an empty scope set', async () => {
    const token = await build(V.ZITADEL_ACCESS, { aud: [V.ZITADEL.client, API_AUDIENCE] });
    await expectAccepted(verifierFor('zitadel'), token, {
      sub: '259242039378444290',
      client_id: V.ZITADEL.client,
      scopes: [],
      roles: ['notes-writer'],
      kind: 'user',
    });
  });

  // NewIDTokenClaims: aud = client + project (scope urn:zitadel:iam:org:project:id:{id}:aud adds the
  // project "to the audience of the access and id token", scopes.md), azp, client_id, nonce, at_hash.
  // This is the ID token's usual shape: it carries the API audience. Refused by the nonce rule.
  it('refuses its ID token, which shares the project audience (nonce/at_hash rule)', async () => {
    const token = await build(V.ZITADEL_ID_TOKEN, { aud: [V.ZITADEL.client, API_AUDIENCE] });
    expect(await refusal(verifierFor('zitadel'), token)).toBe('id_token_presented');
  });

  // Without the project audience scope, aud is the client only.
  it('refuses its ID token without the project audience (id_token_presented)', async () => {
    const token = await build(V.ZITADEL_ID_TOKEN, { aud: [V.ZITADEL.client] });
    expect(await refusal(verifierFor('zitadel'), token)).toBe('id_token_presented');
  });

  // No nonce (none sent) and no at_hash: `client_id` is in both tokens, so the marker is `jti`
  // (claims.md: jti "No" in ID tokens, "When JWT" in access tokens).
  it('refuses its ID token without nonce/at_hash, sharing the audience (missing_access_token_marker)', async () => {
    const token = await build(V.ZITADEL_ID_TOKEN, {
      aud: [V.ZITADEL.client, API_AUDIENCE],
      claims: { nonce: undefined, at_hash: undefined },
    });
    expect(await refusal(verifierFor('zitadel'), token)).toBe('missing_access_token_marker');
  });
});
