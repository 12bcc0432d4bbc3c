/**
 * Keycloak 25+ tokens, built from the server source, against the keycloak profile: the default
 * access token (header typ JWT, payload typ Bearer, realm_access.roles) and the per-client
 * RFC 9068 one are accepted, a service-account token as a machine's; refused: a Keycloak ≤ 24
 * access token carrying nonce, and the ID token, also with the API's audience and without
 * nonce/at_hash. The tokens are in ../vectors.ts; the issuer, the verifier and the checks are in
 * ./harness.ts. Nothing is mocked.
 */
import { describe, expect, it } from 'vitest';
import { API_AUDIENCE } from '../../support/provider.ts';
import * as V from '../vectors';
import { build, expectAccepted, refusal, setUpIssuer, verifierFor } from './harness';

setUpIssuer();

// Keycloak 25+. Built from the server source (no published example token):
// TokenManager.java, DefaultTokenManager.java, con-audience.adoc, changes-25_0_0.adoc.

describe('keycloak (https://github.com/keycloak/keycloak/blob/main/services/src/main/java/org/keycloak/protocol/oidc/TokenManager.java)', () => {
  // TokenManager.initToken (payload typ "Bearer", azp, scope, realm_access.roles); header typ JWT
  // (DefaultTokenManager); aud from an audience mapper (server_admin con-audience.adoc).
  it('accepts a default access token (header typ JWT, payload typ Bearer, azp, realm_access.roles)', async () => {
    const token = await build(V.KEYCLOAK_ACCESS, { aud: [API_AUDIENCE, 'account'] });
    await expectAccepted(verifierFor('keycloak'), token, {
      sub: '8f1c2b4e-5d6a-4b7c-9e8f-0a1b2c3d4e5f',
      client_id: 'notes-app',
      scopes: ['openid', 'profile', 'email'],
      roles: ['default-roles-demo', 'offline_access', 'uma_authorization', 'notes-writer'],
      kind: 'user',
    });
  });

  // DefaultTokenManager.type(ACCESS): "at+jwt" when the client attribute
  // access.token.header.type.rfc9068 is true (the Keycloak version adding it: UNCONFIRMED).
  it('accepts the same token with the per-client RFC 9068 switch (typ at+jwt)', async () => {
    const token = await build(V.KEYCLOAK_ACCESS, { aud: API_AUDIENCE, header: { typ: 'at+jwt' } });
    await expectAccepted(verifierFor('keycloak'), token, {
      sub: '8f1c2b4e-5d6a-4b7c-9e8f-0a1b2c3d4e5f',
      client_id: 'notes-app',
      scopes: ['openid', 'profile', 'email'],
      roles: ['default-roles-demo', 'offline_access', 'uma_authorization', 'notes-writer'],
      kind: 'user',
    });
  });

  // Service accounts (client credentials): ServiceAccountConstants.CLIENT_ID = "client_id",
  // https://github.com/keycloak/keycloak/pull/16359. UNCONFIRMED: `sub` is the service-account
  // user's id (not the client id). RFC 9068 §2.2 makes this a machine token; the profile has no
  // machine marker, so it is read as a user named by a UUID (see the report).
  it('accepts a service-account token as a machine token (client_id mapper)', async () => {
    const token = await build(V.KEYCLOAK_SERVICE_ACCOUNT_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('keycloak'), token, {
      sub: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
      client_id: 'notes-worker',
      scopes: ['profile', 'email'],
      roles: ['default-roles-demo'],
      kind: 'machine',
    });
  });

  // Keycloak ≤ 24 copied `nonce` into access tokens: https://github.com/keycloak/keycloak/issues/26893;
  // 25.0.0 upgrade note "Nonce claim is only added to the ID token" (docs/documentation/upgrading/
  // topics/changes/changes-25_0_0.adoc; the "Nonce backwards compatible" mapper restores it).
  // The guide requires Keycloak 25+.
  it('refuses a Keycloak ≤ 24 access token carrying nonce (id_token_presented)', async () => {
    const token = await build(V.KEYCLOAK_ACCESS, {
      aud: API_AUDIENCE,
      claims: { nonce: 'kR3v9Qm2Xw7Lp4Zt' },
    });
    expect(await refusal(verifierFor('keycloak'), token)).toBe('id_token_presented');
  });

  // TokenManager.generateIDToken: payload typ "ID", aud = the client, azp, nonce, at_hash.
  it('refuses its ID token (aud = the client: id_token_presented)', async () => {
    const token = await build(V.KEYCLOAK_ID_TOKEN, { aud: 'notes-app' });
    expect(await refusal(verifierFor('keycloak'), token)).toBe('id_token_presented');
  });

  // Same ID token with the API's audience (an audience mapper on a scope the client also uses for
  // its ID token): refused by the ID-token claims (nonce, at_hash).
  it('refuses its ID token even with the API audience (nonce/at_hash rule)', async () => {
    const token = await build(V.KEYCLOAK_ID_TOKEN, { aud: [API_AUDIENCE, 'notes-app'] });
    expect(await refusal(verifierFor('keycloak'), token)).toBe('id_token_presented');
  });

  // Without nonce and at_hash (e.g. an ID token from a refresh), only the payload typ "ID" tells:
  // the profile's marker is typ == "Bearer".
  it('refuses an ID token without nonce/at_hash carrying the API audience (missing_access_token_marker)', async () => {
    const token = await build(V.KEYCLOAK_ID_TOKEN, {
      aud: API_AUDIENCE,
      claims: { nonce: undefined, at_hash: undefined },
    });
    expect(await refusal(verifierFor('keycloak'), token)).toBe('missing_access_token_marker');
  });
});
