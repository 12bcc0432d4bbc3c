/** What the client keeps of a token endpoint response. */
import type * as oauth from 'oauth4webapi';

export interface TokenSet {
  idToken: string;
  accessToken: string;
  /** Epoch seconds. */
  accessTokenExpiresAt: number;
  /** Epoch seconds: when these tokens arrived (refresh pacing). */
  tokensReceivedAt: number;
  scope: string;
  refreshToken?: string;
}

/** Without `expires_in` (RFC 6749 §5.1 makes it optional) assume a short, safe lifetime. */
const DEFAULT_EXPIRES_IN_S = 300;

export function toTokenSet(
  response: oauth.TokenEndpointResponse,
  previous?: Pick<TokenSet, 'idToken' | 'refreshToken' | 'scope'>,
): TokenSet {
  const idToken = response.id_token ?? previous?.idToken;
  if (!idToken) throw new Error('no ID token');
  const now = Math.floor(Date.now() / 1000);
  return {
    idToken,
    accessToken: response.access_token,
    accessTokenExpiresAt: now + (response.expires_in ?? DEFAULT_EXPIRES_IN_S),
    tokensReceivedAt: now,
    // RFC 6749 §5.1: `scope` may be omitted when it equals the requested scope.
    scope: response.scope ?? previous?.scope ?? '',
    // RFC 6749 §6: a refresh response without a new refresh token keeps the old one valid.
    refreshToken: response.refresh_token ?? previous?.refreshToken,
  };
}

/**
 * RFC 6749 §7.1: "The client MUST NOT use an access token if it does not understand the token
 * type." This client never sends DPoP proofs, so a `DPoP` token (RFC 9449 §5), which
 * oauth4webapi lets through, is unsolicited and unusable with the Bearer scheme: refused.
 * (oauth4webapi has lower-cased `token_type` and refused types it does not know.)
 */
export function checkBearerTokenType(
  response: Pick<oauth.TokenEndpointResponse, 'token_type'>,
): void {
  if (response.token_type !== 'bearer')
    throw new UnsolicitedTokenTypeError(`token_type ${response.token_type} was not asked for`);
}

export class UnsolicitedTokenTypeError extends Error {
  override name = 'UnsolicitedTokenTypeError';
}
