/** RFC 6749 §6: a new access token from the refresh token. */
import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import { config } from '../config';
import { authorizationServer, client, clientAuth, httpOptions, jwksCache } from './authorization-server';
import { isIdTokenFailure, isJwksUnavailable, isTransportFailure } from './errors';
import { issuedInFuture, toTokenSet, type TokenSet } from './tokens';

/** Refresh this long before expiry, so a token never expires on its way to the API. */
export const REFRESH_SKEW_S = 30;

/** The provider refused the refresh token (`invalid_grant`): the session is over. */
export class RefreshRejectedError extends Error {
  override name = 'RefreshRejectedError';
}

export function needsRefresh(accessTokenExpiresAt: number, now = Date.now() / 1000): boolean {
  return accessTokenExpiresAt - REFRESH_SKEW_S <= now;
}

export async function refreshTokens(current: TokenSet & { sub: string }): Promise<TokenSet> {
  if (!current.refreshToken) throw new RefreshRejectedError('no refresh token');
  const as = await authorizationServer();
  const response = await oauth.refreshTokenGrantRequest(as, client(), clientAuth(), current.refreshToken, {
    ...httpOptions(),
    additionalParameters: { resource: config().apiAudience },
  });
  let result: oauth.TokenEndpointResponse;
  try {
    result = await oauth.processRefreshTokenResponse(as, client(), response);
  } catch (err) {
    if (err instanceof oauth.ResponseBodyError && err.error === 'invalid_grant') {
      throw new RefreshRejectedError('refresh token refused', { cause: err });
    }
    // An ID token that fails validation ends the session (fail closed); anything else (a 5xx,
    // a time-out) is an outage that keeps it.
    if (!isTransportFailure(err) && isIdTokenFailure(err)) throw new RefreshRejectedError('refreshed ID token invalid', { cause: err });
    throw err;
  }
  if (result.id_token) {
    // OIDC Core §12.2: a new ID token is checked as at login (its signature included), must be
    // for the same user, and carries the original nonce if it carries one at all.
    try {
      await oauth.validateApplicationLevelSignature(as, response, { ...httpOptions(), [oauth.jwksCache]: jwksCache });
    } catch (err) {
      if (isJwksUnavailable(err)) throw err;
      throw new RefreshRejectedError('refreshed ID token signature invalid', { cause: err });
    }
    const claims = oauth.getValidatedIdTokenClaims(result)!;
    if (claims.sub !== current.sub) throw new RefreshRejectedError('refreshed ID token is for another subject');
    if (issuedInFuture(claims)) throw new RefreshRejectedError('refreshed ID token iat is in the future');
    if (claims.nonce !== undefined && claims.nonce !== originalNonce(current.idToken)) {
      throw new RefreshRejectedError('refreshed ID token nonce differs from the original');
    }
  }
  return toTokenSet(result, current);
}

function originalNonce(idToken: string): unknown {
  try {
    return decodeJwt(idToken).nonce;
  } catch {
    return undefined;
  }
}
