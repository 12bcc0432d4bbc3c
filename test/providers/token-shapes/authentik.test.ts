/**
 * authentik, a sign-in-only profile built from the source: the profile declares /api unsupported;
 * its access token (which carries the ID token's nonce) and its ID token are refused, also with
 * the API's audience. The tokens are in ../vectors.ts; the issuer, the verifier and the checks are
 * in ./harness.ts. Nothing is mocked.
 */
import { describe, expect, it } from 'vitest';
import { API_AUDIENCE } from '../../support/provider.ts';
import * as V from '../vectors';
import { build, profileAndVerifier, refusal, setUpIssuer, verifierFor } from './harness';

setUpIssuer();

// authentik: sign-in only. Built from the source (no published example token):
// authentik/providers/oauth2/id_token.py, models.py, views/token.py.

describe('authentik (https://github.com/goauthentik/authentik/blob/main/authentik/providers/oauth2/id_token.py)', () => {
  it('declares the API unsupported', () => {
    const { profile } = profileAndVerifier('authentik');
    expect(profile.api.supported).toBe(false);
    expect(profile.api.supported === false && profile.api.reason).toMatch(/nonce/);
  });

  // IDToken.to_access_token = the ID token's claims + azp + uid; aud = the client id; nonce set in
  // the code flow before the access token is derived (views/token.py). This is why the profile
  // says /api cannot work: the access token is refused as an ID token.
  it('refuses the access token itself: it carries nonce (id_token_presented)', async () => {
    const token = await build(V.AUTHENTIK_ACCESS, { aud: V.AUTHENTIK.client });
    expect(await refusal(verifierFor('authentik'), token)).toBe('id_token_presented');
  });

  // Even with API_AUDIENCE set to the client id (the only audience authentik issues).
  it('refuses the access token even with the API audience (nonce rule)', async () => {
    const token = await build(V.AUTHENTIK_ACCESS, { aud: API_AUDIENCE });
    expect(await refusal(verifierFor('authentik'), token)).toBe('id_token_presented');
  });

  // IDToken.to_jwt: same claims without azp/uid.
  it('refuses its ID token (id_token_presented)', async () => {
    const token = await build(V.AUTHENTIK_ID_TOKEN, { aud: V.AUTHENTIK.client });
    expect(await refusal(verifierFor('authentik'), token)).toBe('id_token_presented');
  });

  it('refuses its ID token even with the API audience (nonce rule)', async () => {
    const token = await build(V.AUTHENTIK_ID_TOKEN, { aud: API_AUDIENCE });
    expect(await refusal(verifierFor('authentik'), token)).toBe('id_token_presented');
  });
});
