/** RFC 6749 §6: a new access token from the refresh token. */
import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import { CodedError } from '../coded-error';
import {
  audienceParameters,
  authorizationServer,
  client,
  clientAuth,
  httpOptions,
  validateIdTokenSignature,
} from './authorization-server';
import { isIdTokenFailure, isJwksUnavailable, isTransportFailure } from './errors';
import { checkIdTokenClaims } from './id-token';
import { checkBearerTokenType, toTokenSet, type TokenSet } from './tokens';

/** Refresh this long before expiry, so a token never expires on its way to the API. */
export const REFRESH_SKEW_S = 30;

/**
 * Tokens this fresh are never refreshed again, whatever their lifetime: at most one refresh
 * per navigation, even when the provider issues tokens that live a few seconds.
 */
export const MIN_REFRESH_INTERVAL_S = 5;

/**
 * The token endpoint refused the refresh (RFC 6749 §5.2): the session is over. Any 4xx but 429
 * counts, with or without a JSON body (some providers answer a revoked token with a bare 400).
 */
export type RefreshRefusal =
  | 'no_refresh_token' // the session has none (the provider issued none, or offline_access was not granted)
  | 'refused' // the token endpoint answered 4xx (but 429): invalid_grant, a revoked or reused token
  | 'token_type_unsolicited' // a token type this client did not ask for (DPoP)
  | 'id_token_invalid' // the refreshed ID token failed a check of OIDC Core §3.1.3.7
  | 'id_token_signature_invalid'
  | 'subject_changed' // OIDC Core §12.2: another `sub`
  | 'nonce_changed' // OIDC Core §12.2: a `nonce` other than the original
  | 'session_ended'; // another request's refresh of this session was refused meanwhile

export class RefreshRejectedError extends CodedError<RefreshRefusal> {
  override name = 'RefreshRejectedError';
  readonly status?: number;
  constructor(reason: RefreshRefusal, options?: { cause?: unknown; status?: number }) {
    super(reason, options);
    this.status = options?.status;
  }
}

/**
 * Is the access token due for a refresh? When it has less than REFRESH_SKEW_S left, or less than
 * half its lifetime for tokens that live under a minute, so a token that lives 30 s or less is
 * not "due" the moment it arrives. Never within MIN_REFRESH_INTERVAL_S of the last tokens.
 */
export function needsRefresh(
  tokens: { accessTokenExpiresAt: number; tokensReceivedAt?: number },
  now = Date.now() / 1000,
): boolean {
  const receivedAt = tokens.tokensReceivedAt ?? 0;
  if (now - receivedAt < MIN_REFRESH_INTERVAL_S) return false;
  const lifetime = tokens.accessTokenExpiresAt - receivedAt;
  const skew = Math.min(REFRESH_SKEW_S, Math.max(0, lifetime / 2));
  return tokens.accessTokenExpiresAt - skew <= now;
}

/** RFC 6749 §5.2: a 4xx other than 429 (Too Many Requests) is the provider's final answer. */
export function isRefusal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 429;
}

export async function refreshTokens(
  current: Pick<TokenSet, 'idToken' | 'refreshToken' | 'scope'> & { sub: string },
): Promise<TokenSet> {
  if (!current.refreshToken) throw new RefreshRejectedError('no_refresh_token');
  const as = await authorizationServer();
  const response = await oauth.refreshTokenGrantRequest(
    as,
    client(),
    await clientAuth(),
    current.refreshToken,
    {
      ...httpOptions(),
      additionalParameters: audienceParameters('token'),
    },
  );
  const { status } = response;
  let result: oauth.TokenEndpointResponse;
  try {
    result = await oauth.processRefreshTokenResponse(as, client(), response);
  } catch (err) {
    if (isRefusal(status)) throw new RefreshRejectedError('refused', { cause: err, status });
    // An ID token that fails validation ends the session (fail closed); anything else (a 5xx,
    // a 429, a time-out) is an outage that keeps it.
    if (!isTransportFailure(err) && isIdTokenFailure(err))
      throw new RefreshRejectedError('id_token_invalid', { cause: err });
    throw err;
  }
  // RFC 6749 §7.1: never a token type we did not ask for (see ./tokens.ts). Not an outage.
  try {
    checkBearerTokenType(result);
  } catch (err) {
    throw new RefreshRejectedError('token_type_unsolicited', { cause: err });
  }
  if (result.id_token) {
    // OIDC Core §12.2: a new ID token is checked as at login (its signature included), must be
    // for the same user, and carries the original nonce if it carries one at all.
    try {
      await validateIdTokenSignature(as, response);
    } catch (err) {
      if (isJwksUnavailable(err)) throw err;
      throw new RefreshRejectedError('id_token_signature_invalid', { cause: err });
    }
    const claims = oauth.getValidatedIdTokenClaims(result)!;
    if (claims.sub !== current.sub) throw new RefreshRejectedError('subject_changed');
    try {
      await checkIdTokenClaims(result.id_token, claims, {
        clientId: client().client_id,
        accessToken: result.access_token,
      });
    } catch (err) {
      throw new RefreshRejectedError('id_token_invalid', { cause: err });
    }
    if (claims.nonce !== undefined && claims.nonce !== originalNonce(current.idToken)) {
      throw new RefreshRejectedError('nonce_changed');
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
