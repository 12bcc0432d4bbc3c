/**
 * What the flow inspector (/flow, lib/flow/record.ts) keeps of a completed sign-in: the
 * provider's metadata and keys (step 1), the callback (step 3), the token request with the PKCE
 * proof (step 4) and the token response (step 5). Values only, never a token.
 */
import * as oauth from 'oauth4webapi';
import { config } from '../config';
import { recordSignIn, shorten } from '../flow/record';
import { authorizationServer, jwksCache } from './authorization-server';
import type { TokenSet } from './tokens';
import type { Transaction } from './transaction';

const ENDPOINTS = [
  'authorization_endpoint',
  'token_endpoint',
  'jwks_uri',
  'end_session_endpoint',
  'revocation_endpoint',
  'introspection_endpoint',
  'userinfo_endpoint',
] as const;

export async function traceSignIn(
  callback: URLSearchParams,
  tx: Transaction,
  tokens: TokenSet,
): Promise<void> {
  const as = await authorizationServer();
  const endpoints: Record<string, string> = {};
  for (const name of ENDPOINTS) if (typeof as[name] === 'string') endpoints[name] = as[name];
  const keys = (jwksCache.jwks?.keys ?? []).map(({ kid, kty, alg, use }) => ({
    kid,
    kty,
    alg,
    use,
  }));
  recordSignIn(tx.state, tokens, {
    discovery: { issuer: as.issuer, endpoints, keys },
    callback: {
      at: Date.now(),
      code: shorten(callback.get('code') ?? ''),
      state: callback.get('state') ?? '',
      // The transaction was found by this state and opened: they match (RFC 6749 §10.12).
      stateMatched: callback.get('state') === tx.state,
      iss: callback.get('iss') ?? undefined,
    },
    tokenRequest: {
      grantType: 'authorization_code',
      clientAuthMethod: config().clientCredentials.method,
      redirectUri: config().redirectUri,
      codeVerifier: tx.code_verifier,
      // RFC 7636 §4.6: what the provider computed to compare with the challenge of step 2.
      computedChallenge: await oauth.calculatePKCECodeChallenge(tx.code_verifier),
    },
    tokenResponse: {
      // oauth4webapi accepts only token_type Bearer (RFC 6750), case-insensitively.
      tokenType: 'Bearer',
      expiresIn: tokens.accessTokenExpiresAt - tokens.tokensReceivedAt,
      scope: tokens.scope,
      refreshToken: tokens.refreshToken !== undefined,
    },
  });
}
