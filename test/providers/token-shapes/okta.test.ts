/**
 * Okta custom authorization server tokens against the okta profile: the documented access token
 * (no typ, scp array, cid) is accepted, a groups claim read as roles, a client-credentials token
 * as a machine's; the documented ID token is refused, also with the API's audience and without
 * at_hash. The tokens are in ../vectors.ts; the issuer, the verifier and the checks are in
 * ./harness.ts. Nothing is mocked.
 */
import { describe, expect, it } from 'vitest';
import { API_AUDIENCE } from '../../support/provider.ts';
import * as V from '../vectors';
import { build, expectAccepted, refusal, setUpIssuer, verifierFor } from './harness';

setUpIssuer();

// Okta custom authorization server. The OIDC & OAuth 2.0 API reference
// (https://developer.okta.com/docs/reference/api/oidc/, okta/okta-developer-docs before 982a3bc1c1).

describe('okta (https://developer.okta.com/docs/reference/api/oidc/)', () => {
  // Access token: header alg + kid only (no typ), `scp` array, `cid`, `uid`, `ver`.
  it('accepts the documented access token (no typ, scp array, cid)', async () => {
    const token = await build(V.OKTA_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('okta'), token, {
      sub: '00ujmkLgagxeRrAg20g3',
      client_id: 'nmdP1fcyvdVO11AL7ECm',
      scopes: ['openid', 'email', 'flights', 'custom'],
      roles: [],
      kind: 'user',
    });
  });

  // Custom `groups` claim: "For a Custom Authorization Server, you can configure a custom `groups`
  // claim" (https://developer.okta.com/docs/guides/customize-tokens-groups-claim/main/); the claim
  // name is the admin's choice (the profile assumes `groups`).
  it('reads a configured groups claim as roles', async () => {
    const token = await build(V.OKTA_ACCESS, {
      aud: API_AUDIENCE,
      claims: { groups: ['Everyone', 'notes-writer'] },
    });
    await expectAccepted(verifierFor('okta'), token, {
      sub: '00ujmkLgagxeRrAg20g3',
      client_id: 'nmdP1fcyvdVO11AL7ECm',
      scopes: ['openid', 'email', 'flights', 'custom'],
      roles: ['Everyone', 'notes-writer'],
      kind: 'user',
    });
  });

  // Client credentials: https://developer.okta.com/docs/guides/implement-grant-type/clientcreds/main/
  // UNCONFIRMED: `sub` == `cid` (not in the reference).
  it('accepts a client-credentials token (sub == cid) as a machine token', async () => {
    const token = await build(V.OKTA_CLIENT_CREDENTIALS_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('okta'), token, {
      sub: '0oa5rxkq3wT9dC8zh1d7',
      client_id: '0oa5rxkq3wT9dC8zh1d7',
      scopes: ['custom'],
      roles: [],
      kind: 'machine',
    });
  });

  // ID token example of the reference: no typ, aud = client id, at_hash, jti "ID.…".
  it('refuses the documented ID token (aud = client id: id_token_presented)', async () => {
    const token = await build(V.OKTA_ID_TOKEN, { aud: 'uAaunofWkaDJxukCFeBx' });
    expect(await refusal(verifierFor('okta'), token)).toBe('id_token_presented');
  });

  it('refuses it even with the API audience (at_hash rule)', async () => {
    const token = await build(V.OKTA_ID_TOKEN, { aud: API_AUDIENCE });
    expect(await refusal(verifierFor('okta'), token)).toBe('id_token_presented');
  });

  // "If both an ID and an access token were requested ... the ID token includes the at_hash":
  // one issued alone has none, and no nonce unless sent; it still has neither scp nor cid.
  it('refuses it without at_hash and with the API audience (missing_access_token_marker)', async () => {
    const token = await build(V.OKTA_ID_TOKEN, {
      aud: API_AUDIENCE,
      claims: { at_hash: undefined },
    });
    expect(await refusal(verifierFor('okta'), token)).toBe('missing_access_token_marker');
  });
});
