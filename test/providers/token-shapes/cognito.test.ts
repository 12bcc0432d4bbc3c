/**
 * Amazon Cognito user pool tokens against the cognito profile: the documented access token is
 * accepted with a resource binding and refused without one (no aud), a client-credentials token is
 * read as a machine's; the documented ID token is refused, also with the API's audience and
 * without nonce. The tokens are in ../vectors.ts; the issuer, the verifier and the checks are in
 * ./harness.ts. Nothing is mocked.
 */
import { describe, expect, it } from 'vitest';
import { API_AUDIENCE } from '../../support/provider.ts';
import * as V from '../vectors';
import { build, expectAccepted, refusal, setUpIssuer, verifierFor } from './harness';

setUpIssuer();

// Amazon Cognito user pools.

describe('cognito (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html)', () => {
  // Header `kid` + `alg` only; `token_use: access`, `client_id`, `cognito:groups`, `scope`; `aud`
  // "Present only if your application requested a resource binding".
  it('accepts the documented access token (no typ, token_use access, client_id, cognito:groups)', async () => {
    const token = await build(V.COGNITO_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('cognito'), token, {
      sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      client_id: 'xxxxxxxxxxxxexample',
      scopes: ['phone', 'openid', 'profile', 'resourceserver.1/appclient2', 'email'],
      roles: ['testgroup'],
      kind: 'user',
    });
  });

  // The older page's payload has no `aud` (no resource binding). RFC 9068 §4 requires the audience
  // check, so such a token is refused: the profile asks for the audience with `resource`
  // (Cognito resource binding, Essentials/Plus tiers), and the guide says so. Not an ID-token rule.
  it('refuses the documented token without resource binding (no aud: missing_aud)', async () => {
    const token = await build(V.COGNITO_ACCESS, { aud: undefined });
    expect(await refusal(verifierFor('cognito'), token)).toBe('missing_aud');
  });

  // Client credentials: https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html;
  // `sub` == `client_id` is UNCONFIRMED in AWS's pages (from a published decoded token,
  // https://zenn.dev/noid11/articles/d36dccd74601ed83d83b).
  it('accepts a client-credentials token (sub == client_id) as a machine token', async () => {
    const token = await build(V.COGNITO_CLIENT_CREDENTIALS_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('cognito'), token, {
      sub: 'xxxxxxxxxxxxexample',
      client_id: 'xxxxxxxxxxxxexample',
      scopes: ['resourceserver.1/appclient2'],
      roles: [],
      kind: 'machine',
    });
  });

  // https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html:
  // `token_use: id`, `nonce`, `aud` = the app client.
  it('refuses the documented ID token (aud = client id: id_token_presented)', async () => {
    const token = await build(V.COGNITO_ID_TOKEN, { aud: 'xxxxxxxxxxxxexample' });
    expect(await refusal(verifierFor('cognito'), token)).toBe('id_token_presented');
  });

  it('refuses it even with the API audience (nonce rule)', async () => {
    const token = await build(V.COGNITO_ID_TOKEN, { aud: API_AUDIENCE });
    expect(await refusal(verifierFor('cognito'), token)).toBe('id_token_presented');
  });

  // nonce only when the request sent one: then only `token_use: id` tells (the marker is token_use=access).
  it('refuses it without nonce and with the API audience (missing_access_token_marker)', async () => {
    const token = await build(V.COGNITO_ID_TOKEN, {
      aud: API_AUDIENCE,
      claims: { nonce: undefined },
    });
    expect(await refusal(verifierFor('cognito'), token)).toBe('missing_access_token_marker');
  });
});
