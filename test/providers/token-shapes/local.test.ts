/**
 * The bundled IdP's tokens (idp/configuration.ts: oidc-provider's RFC 9068 JWT access tokens)
 * against the local profile: its user and client-credentials access tokens must be accepted and
 * read as such (client_id, scopes, roles, user or machine); its ID token must be refused as an ID
 * token, also with the API's audience. The tokens are in ../vectors.ts; the issuer, the verifier
 * and the checks are in ./harness.ts. Nothing is mocked.
 */
import { describe, expect, it } from 'vitest';
import { API_SCOPES, DEFAULTS, LOCAL_IDP } from '@/lib/config';
import { API_AUDIENCE } from '../../support/provider.ts';
import * as V from '../vectors';
import { build, expectAccepted, refusal, setUpIssuer, verifierFor } from './harness';

setUpIssuer();

// local: the bundled IdP (oidc-provider, RFC 9068 JWT access tokens).

describe('local: the bundled IdP (idp/configuration.ts; RFC 9068 https://www.rfc-editor.org/rfc/rfc9068)', () => {
  // idp/configuration.ts + node_modules/oidc-provider/lib/models/formats/jwt.js: typ at+jwt,
  // client_id, scope, our extraTokenClaims `roles`.
  it('accepts its user access token (typ at+jwt, client_id, scope, roles)', async () => {
    const token = await build(V.LOCAL_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('local'), token, {
      sub: 'alice',
      client_id: LOCAL_IDP.clientId,
      scopes: [API_SCOPES.read, API_SCOPES.write],
      roles: [DEFAULTS.writerRole],
      kind: 'user',
    });
  });

  // RFC 9068 §2.2: without a resource owner, `sub` is the client (jwt.js: `sub: sub || clientId`).
  it('accepts its client-credentials access token as a machine token (sub == client_id)', async () => {
    const token = await build(V.LOCAL_MACHINE_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('local'), token, {
      sub: LOCAL_IDP.machineClientId,
      client_id: LOCAL_IDP.machineClientId,
      scopes: [API_SCOPES.read],
      roles: [],
      kind: 'machine',
    });
  });

  // oidc-provider helpers/jwt.js: ID tokens carry no `typ`; OIDC Core §2: nonce, at_hash, aud = client.
  it('refuses its ID token: no typ (wrong_typ), reported as id_token_presented', async () => {
    const token = await build(V.LOCAL_ID_TOKEN, { aud: LOCAL_IDP.clientId });
    expect(await refusal(verifierFor('local'), token)).toBe('id_token_presented');
  });

  // Same ID token, `aud` = the API: refused by the typ rule before the audience is looked at.
  it('refuses its ID token even with the API audience (typ rule)', async () => {
    const token = await build(V.LOCAL_ID_TOKEN, { aud: API_AUDIENCE });
    expect(await refusal(verifierFor('local'), token)).toBe('id_token_presented');
  });
});
