/**
 * Step 2: the authorization response and the code exchange (RFC 6749 §4.1.2–§4.1.4,
 * OIDC Core §3.1.3). Each check is one visible call; any failure is a LoginError with a reason.
 */
import * as oauth from 'oauth4webapi';
import { config } from '../config';
import {
  audienceParameters,
  authorizationServer,
  client,
  clientAuth,
  httpOptions,
  validateIdTokenSignature,
} from './authorization-server';
import {
  isIdTokenFailure,
  isJwksUnavailable,
  isProviderFailure,
  isTransportFailure,
  LoginError,
  parsesAsJson,
  type LoginFailure,
} from './errors';
import { checkIdTokenClaims } from './id-token';
import { checkBearerTokenType, toTokenSet, type TokenSet } from './tokens';
import type { Transaction } from './transaction';

export async function completeLogin(
  callbackUrl: URL,
  tx: Transaction,
): Promise<TokenSet & { sub: string }> {
  let as: oauth.AuthorizationServer;
  try {
    as = await authorizationServer();
  } catch (cause) {
    // OIDC Discovery §4.3: a document naming another issuer is a mix-up, not an outage.
    const mixUp =
      cause instanceof oauth.OperationProcessingError &&
      cause.code === oauth.JSON_ATTRIBUTE_COMPARISON;
    throw new LoginError(mixUp ? 'issuer_mismatch' : 'provider_unavailable', { cause });
  }

  // RFC 6749 §4.1.2, §10.12: the response must carry the `state` this browser sent.
  if (callbackUrl.searchParams.get('state') !== tx.state) throw new LoginError('state_mismatch');
  // RFC 9207 §2.4: `iss` must be our issuer exactly, and present when the provider advertises
  // authorization_response_iss_parameter_supported (a mix-up defence).
  const iss = callbackUrl.searchParams.get('iss');
  if (
    iss === null ? as.authorization_response_iss_parameter_supported === true : iss !== as.issuer
  ) {
    throw new LoginError('issuer_mismatch');
  }
  // oauth4webapi checks both again, and turns an error response into AuthorizationResponseError.
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client(), callbackUrl, tx.state);
  } catch (cause) {
    if (cause instanceof oauth.AuthorizationResponseError) {
      throw new LoginError(cause.error === 'access_denied' ? 'access_denied' : 'provider_error', {
        cause,
      });
    }
    throw new LoginError('provider_error', { cause }); // e.g. a parameter given twice
  }
  // RFC 6749 §4.1.2: a success response carries exactly one `code`.
  if (params.getAll('code').length !== 1 || !params.get('code'))
    throw new LoginError('provider_error');

  // RFC 6749 §4.1.3 + RFC 7636 §4.5: exchange the code, proving possession of the verifier.
  let response: Response;
  try {
    response = await oauth.authorizationCodeGrantRequest(
      as,
      client(),
      await clientAuth(),
      params,
      config().redirectUri,
      tx.code_verifier,
      { ...httpOptions(), additionalParameters: audienceParameters('token') },
    );
  } catch (cause) {
    // No answer is an outage; anything else thrown here is a bug of ours.
    throw new LoginError(isTransportFailure(cause) ? 'provider_unavailable' : 'internal_error', {
      cause,
    });
  }

  let result: oauth.TokenEndpointResponse;
  const copy = response.clone(); // to tell the body's parse errors from the ID token's
  try {
    // OIDC Core §3.1.3.7: the ID token's alg (pinned), iss, aud, exp, nonce, the type of iat,
    // and azp when aud has several values, are checked here (the rest: ./id-token.ts).
    result = await oauth.processAuthorizationCodeResponse(as, client(), response, {
      expectedNonce: tx.nonce,
      requireIdToken: true,
    });
  } catch (cause) {
    throw new LoginError(await tokenResponseFailure(cause, copy), { cause });
  }
  // RFC 6749 §7.1 / RFC 9449 §5: only Bearer, since we never asked for DPoP.
  try {
    checkBearerTokenType(result);
  } catch (cause) {
    throw new LoginError('token_request_failed', { cause });
  }

  // OIDC Core §3.1.3.7 step 6: the signature, against the issuer's JWKS.
  try {
    await validateIdTokenSignature(as, response);
  } catch (cause) {
    // Keys that cannot be fetched are an outage; keys that do not verify are a bad token.
    throw new LoginError(isJwksUnavailable(cause) ? 'provider_unavailable' : 'id_token_invalid', {
      cause,
    });
  }

  const claims = oauth.getValidatedIdTokenClaims(result)!;
  // OIDC Core §3.1.3.7 steps 5 and 10, §3.1.3.8: azp with one audience, the age of iat, at_hash.
  try {
    await checkIdTokenClaims(result.id_token!, claims, {
      clientId: client().client_id,
      accessToken: result.access_token,
    });
  } catch (cause) {
    throw new LoginError('id_token_invalid', { cause });
  }
  return { sub: claims.sub, ...toTokenSet(result) };
}

/** Why the token response was refused: no answer, the ID token, the response itself, or a bug of ours. */
async function tokenResponseFailure(cause: unknown, copy: Response): Promise<LoginFailure> {
  if (isTransportFailure(cause)) return 'provider_unavailable';
  if (!isProviderFailure(cause)) return 'internal_error';
  const parseError =
    cause instanceof oauth.OperationProcessingError && cause.code === oauth.PARSE_ERROR;
  return isIdTokenFailure(cause, parseError && (await parsesAsJson(copy)))
    ? 'id_token_invalid'
    : 'token_request_failed';
}
