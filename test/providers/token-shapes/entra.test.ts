/**
 * Microsoft Entra ID tokens against the entra profile: the v1.0 and v2.0 sample access tokens are
 * accepted, an app-only token as a machine's; the v2.0 ID token with roles is refused, also with
 * the API's audience and without nonce. The tokens are in ../vectors.ts; the issuer, the verifier
 * and the checks are in ./harness.ts. Nothing is mocked.
 */
import { describe, expect, it } from 'vitest';
import { API_AUDIENCE } from '../../support/provider.ts';
import * as V from '../vectors';
import { build, expectAccepted, refusal, setUpIssuer, verifierFor } from './harness';

setUpIssuer();

// Microsoft Entra ID. https://learn.microsoft.com/entra/identity-platform/access-tokens,
// https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference,
// https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference

describe('entra (https://learn.microsoft.com/entra/identity-platform/access-tokens)', () => {
  // The v1.0 sample: typ JWT (+ x5t), `appid`, `appidacr`, `scp` string, `ver` "1.0".
  it('accepts the v1.0 sample access token (appid, appidacr, scp string)', async () => {
    const token = await build(V.ENTRA_V1_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('entra'), token, {
      sub: 'l3_roISQU222bULS9yi2k0XpqpOiMz5H3ZACo1GeXA',
      client_id: '75dbe77f-10a3-4e59-85fd-8c127544f17c',
      scopes: ['user_impersonation'],
      roles: [],
      kind: 'user',
    });
  });

  // The v2.0 sample: `azp`, `azpacr`, `scp`, `ver` "2.0".
  it('accepts the v2.0 sample access token (azp, azpacr, scp string)', async () => {
    const token = await build(V.ENTRA_V2_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('entra'), token, {
      sub: 'HKZpfaHyWadeOouYlitjrI-KffTm222X5rrV3xDqfKQ',
      client_id: '6e74172b-be56-4843-9ff4-e66a39bb12e3',
      scopes: ['access_as_user'],
      roles: [],
      kind: 'user',
    });
  });

  // App-only (client credentials): `roles` "in place of user scopes", no `scp`; `idtyp: app` from
  // https://learn.microsoft.com/entra/identity-platform/optional-claims-reference (an optional
  // claim: without it, nothing in the profile marks the token as a machine's).
  it('accepts an app-only v2.0 token (idtyp app, roles, no scp) as a machine token', async () => {
    const token = await build(V.ENTRA_V2_APP_ONLY_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('entra'), token, {
      sub: '4f3e2d1c-0b9a-4876-a543-210fedcba987',
      client_id: 'c2a54a1e-3b5d-4d2f-9e1c-6f7a8b9c0d1e',
      scopes: ['Notes.Read.All'],
      roles: ['Notes.Read.All'],
      kind: 'machine',
    });
  });

  // The sample v2.0 ID token (https://learn.microsoft.com/entra/identity-platform/id-tokens), with
  // `roles` (id-token-claims-reference: assigned roles, v1.0 and v2.0). aud = the client app.
  it('refuses the v2.0 ID token with roles (aud = client id: id_token_presented)', async () => {
    const token = await build(V.ENTRA_V2_ID_TOKEN, {
      aud: '6cb04018-a3f5-46a7-b995-940c78f5aef3',
      claims: { roles: ['notes-writer'] },
    });
    expect(await refusal(verifierFor('entra'), token)).toBe('id_token_presented');
  });

  // An app that is its own API (the v2.0 access token sample has azp == aud): its ID token carries
  // the API audience. Refused by the nonce rule.
  it('refuses it even with the API audience (nonce rule)', async () => {
    const token = await build(V.ENTRA_V2_ID_TOKEN, {
      aud: API_AUDIENCE,
      claims: { roles: ['notes-writer'] },
    });
    expect(await refusal(verifierFor('entra'), token)).toBe('id_token_presented');
  });

  // at_hash/c_hash: "This claim isn't returned on ID tokens from the /token endpoint"; nonce only
  // when the request sent one. Such an ID token with the API audience and `roles` is why `roles`
  // is no marker: it has no scp, azpacr or appidacr.
  it('refuses a /token ID token without nonce, with roles and the API audience (missing_access_token_marker)', async () => {
    const token = await build(V.ENTRA_V2_ID_TOKEN, {
      aud: API_AUDIENCE,
      claims: { nonce: undefined, roles: ['notes-writer'] },
    });
    expect(await refusal(verifierFor('entra'), token)).toBe('missing_access_token_marker');
  });
});
