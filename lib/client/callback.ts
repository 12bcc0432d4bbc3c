/**
 * Step 2: the authorization response and the code exchange (RFC 6749 §4.1.2–§4.1.4,
 * OIDC Core §3.1.3). Each check is one visible call; any failure is a LoginError with a reason.
 */
import * as oauth from 'oauth4webapi';
import { config } from '../config';
import { authorizationServer, client, clientAuth, httpOptions, jwksCache } from './authorization-server';
import { LoginError } from './errors';
import { toTokenSet, type TokenSet } from './tokens';
import type { Transaction } from './transaction';

export async function completeLogin(callbackUrl: URL, tx: Transaction): Promise<TokenSet & { sub: string }> {
  let as: oauth.AuthorizationServer;
  try {
    as = await authorizationServer();
  } catch (cause) {
    throw new LoginError('provider_unavailable', { cause });
  }

  // RFC 6749 §4.1.2: the response must carry the `state` this browser sent, and RFC 9207 §2.4:
  // its `iss` must be our issuer (required when the provider advertises
  // authorization_response_iss_parameter_supported). Error responses throw here too.
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client(), callbackUrl, tx.state);
  } catch (cause) {
    if (cause instanceof oauth.AuthorizationResponseError) {
      throw new LoginError(cause.error === 'access_denied' ? 'access_denied' : 'provider_error', { cause });
    }
    const message = cause instanceof Error ? cause.message : '';
    throw new LoginError(/\biss\b|issuer/i.test(message) ? 'issuer_mismatch' : 'state_mismatch', { cause });
  }

  // RFC 6749 §4.1.3 + RFC 7636 §4.5: exchange the code, proving possession of the verifier.
  let response: Response;
  try {
    response = await oauth.authorizationCodeGrantRequest(
      as,
      client(),
      clientAuth(),
      params,
      config().redirectUri,
      tx.code_verifier,
      { ...httpOptions(), additionalParameters: { resource: config().apiAudience } },
    );
  } catch (cause) {
    throw new LoginError('provider_unavailable', { cause });
  }

  let result: oauth.TokenEndpointResponse;
  try {
    // OIDC Core §3.1.3.7: the ID token's iss, aud, azp, exp, iat and nonce are checked here,
    // and only `token_type` Bearer is accepted.
    result = await oauth.processAuthorizationCodeResponse(as, client(), response, {
      expectedNonce: tx.nonce,
      requireIdToken: true,
    });
  } catch (cause) {
    const invalidIdToken = cause instanceof oauth.OperationProcessingError && /id_token|claim|JWT/i.test(cause.message);
    throw new LoginError(invalidIdToken ? 'id_token_invalid' : 'token_request_failed', { cause });
  }

  // OIDC Core §3.1.3.7 step 6: the signature, against the issuer's JWKS. oauth4webapi skips it
  // for a TLS back channel unless asked, so we ask.
  try {
    await oauth.validateApplicationLevelSignature(as, response, { ...httpOptions(), [oauth.jwksCache]: jwksCache });
  } catch (cause) {
    throw new LoginError('id_token_invalid', { cause });
  }

  const claims = oauth.getValidatedIdTokenClaims(result)!;
  return { sub: claims.sub, ...toTokenSet(result) };
}
