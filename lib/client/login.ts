/**
 * Step 1 of the Authorization Code flow (RFC 6749 §4.1.1, OIDC Core §3.1.2.1): build the
 * authorization request and the transaction the callback will need.
 */
import * as oauth from 'oauth4webapi';
import { config } from '../config';
import { audienceParameters, authorizationServer, client } from './authorization-server';
import type { Transaction } from './transaction';

export async function startLogin(
  returnTo: string,
): Promise<{ authorizationUrl: URL; transaction: Transaction }> {
  const as = await authorizationServer();
  const { redirectUri, scopes, provider } = config();

  // RFC 7636: PKCE with S256; the verifier stays in the sealed transaction cookie.
  const code_verifier = oauth.generateRandomCodeVerifier();
  const code_challenge = await oauth.calculatePKCECodeChallenge(code_verifier);
  // RFC 6749 §10.12: `state` binds the response to this browser (CSRF).
  const state = oauth.generateRandomState();
  // OIDC Core §3.1.2.1: `nonce` binds the ID token to this request (replay).
  const nonce = oauth.generateRandomNonce();

  if (!as.authorization_endpoint) throw new Error('the provider has no authorization_endpoint');
  const authorizationUrl = new URL(as.authorization_endpoint);
  authorizationUrl.search = new URLSearchParams({
    // The provider profile's extra parameters (OIDC_AUTHORIZATION_PARAMS) come first: the
    // parameters below always win, and lib/providers/resolve.ts refuses overrides of them.
    ...provider.authorizationParams,
    client_id: client().client_id,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: scopes,
    code_challenge,
    code_challenge_method: 'S256',
    state,
    nonce,
    // An access token whose audience is our API: RFC 8707 `resource`, Auth0's `audience`, or
    // nothing when the scopes select the API (the provider profile's audienceRequest).
    ...audienceParameters('authorization'),
  }).toString();

  return {
    authorizationUrl,
    transaction: { kind: 'oidc-login', state, nonce, code_verifier, returnTo },
  };
}
