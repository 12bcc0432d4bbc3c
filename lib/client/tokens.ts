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

/** Clock difference tolerated between us and the provider for an ID token's `iat`. */
export const ID_TOKEN_IAT_LEEWAY_S = 60;

/**
 * OIDC Core §3.1.3.7 step 10: `iat` may bound how far back tokens are accepted. In the code flow
 * oauth4webapi checks only that `iat` is a number; we refuse one in the future, beyond the leeway.
 */
export function issuedInFuture(claims: { iat: number }, now = Math.floor(Date.now() / 1000)): boolean {
  return claims.iat > now + ID_TOKEN_IAT_LEEWAY_S;
}
