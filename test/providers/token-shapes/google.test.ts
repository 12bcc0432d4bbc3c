/**
 * Google, a sign-in-only profile: the profile declares /api unsupported; Google's opaque access
 * token and its documented ID token are refused, the ID token also with the API's audience and
 * without nonce/at_hash. The tokens are in ../vectors.ts; the issuer, the verifier and the checks
 * are in ./harness.ts. Nothing is mocked.
 */
import { describe, expect, it } from 'vitest';
import { API_AUDIENCE } from '../../support/provider.ts';
import * as V from '../vectors';
import { build, profileAndVerifier, refusal, setUpIssuer, verifierFor } from './harness';

setUpIssuer();

// Google: sign-in only.

describe('google (https://developers.google.com/identity/openid-connect/openid-connect)', () => {
  // The profile itself says /api cannot work with Google.
  it('declares the API unsupported', () => {
    const { profile } = profileAndVerifier('google');
    expect(profile.api.supported).toBe(false);
    expect(profile.api.supported === false && profile.api.reason).toMatch(/Google/);
  });

  // Access tokens are opaque `ya29.…` (https://github.com/google/google-api-php-client/issues/263;
  // an official statement is UNCONFIRMED); Google offers tokeninfo, not RFC 7662 introspection.
  it('refuses a Google access token: opaque, no introspection (opaque_not_supported)', async () => {
    expect(await refusal(verifierFor('google'), V.GOOGLE_ACCESS_TOKEN)).toBe(
      'opaque_not_supported',
    );
  });

  // Google's ID token example (https://developers.google.com/identity/openid-connect/openid-connect#an-id-tokens-payload,
  // via https://qiita.com/masaha03/items/927abc3c6b93911fb703); header typ JWT UNCONFIRMED.
  it('refuses the documented ID token (id_token_presented)', async () => {
    const token = await build(V.GOOGLE_ID_TOKEN, {
      aud: '1234987819200.apps.googleusercontent.com',
    });
    expect(await refusal(verifierFor('google'), token)).toBe('id_token_presented');
  });

  // With API_AUDIENCE set to the Google client id (an API "accepting Google ID tokens"): refused by typ.
  it('refuses it even with the API audience (typ rule)', async () => {
    const token = await build(V.GOOGLE_ID_TOKEN, { aud: API_AUDIENCE });
    expect(await refusal(verifierFor('google'), token)).toBe('id_token_presented');
  });

  // at_hash is "always included" only with an access token in the server flow, nonce only when sent:
  // without both, and with the API audience, it is still refused, by typ alone.
  it('refuses it without nonce/at_hash and with the API audience (wrong_typ)', async () => {
    const token = await build(V.GOOGLE_ID_TOKEN, {
      aud: API_AUDIENCE,
      claims: { nonce: undefined, at_hash: undefined },
    });
    expect(await refusal(verifierFor('google'), token)).toBe('wrong_typ');
  });
});
