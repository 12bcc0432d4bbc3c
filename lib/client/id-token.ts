/**
 * The ID token checks that oauth4webapi leaves to the client in the code flow. oauth4webapi's
 * processAuthorizationCodeResponse checks `iss`, `aud`, `exp`, that `iat` is a number, `nonce`,
 * and `azp` only when `aud` has several values; validateIdTokenSignature
 * (./authorization-server.ts) checks the signature. What is left is here, one function per step,
 * each named after its section of OIDC Core 1.0. Used at login (./callback.ts) and for an ID token
 * that comes with a refresh (./refresh.ts, OIDC Core §12.2).
 */
import { base64url, decodeProtectedHeader } from 'jose';
import type * as oauth from 'oauth4webapi';
import { CodedError } from '../coded-error';

export type IdTokenCheckFailure =
  | 'iat_in_future' // §3.1.3.7 step 10, beyond the leeway
  | 'iat_too_old' // §3.1.3.7 step 10: issued longer ago than a token response can explain
  | 'azp_mismatch' // §3.1.3.7 step 5, with a single audience
  | 'at_hash_mismatch' // §3.2.2.9, §3.1.3.8: the ID token was issued with another access token
  | 'at_hash_unverifiable'; // an `at_hash` under an algorithm with no defined hash: refused, not skipped

export class IdTokenCheckError extends CodedError<IdTokenCheckFailure> {
  override name = 'IdTokenCheckError';
}

/** Clock difference tolerated between us and the provider for `iat`. */
export const ID_TOKEN_IAT_LEEWAY_S = 60;

/**
 * How old an ID token may be when it arrives. It comes straight from the token endpoint, minted
 * for this exchange; an older one is replayed or cached, or the provider's clock is far off.
 * Ten minutes, as long as a sign-in may take (the transaction's lifetime).
 */
export const ID_TOKEN_MAX_AGE_S = 10 * 60;

/**
 * OIDC Core §3.1.3.7 step 10: "The iat Claim can be used to reject tokens that were issued too
 * far away from the current time." Both ways: not in the future, not older than the bound.
 */
export function checkIssuedAt(
  claims: Pick<oauth.IDToken, 'iat'>,
  now = Math.floor(Date.now() / 1000),
): void {
  if (claims.iat > now + ID_TOKEN_IAT_LEEWAY_S) throw new IdTokenCheckError('iat_in_future');
  if (claims.iat < now - ID_TOKEN_MAX_AGE_S - ID_TOKEN_IAT_LEEWAY_S)
    throw new IdTokenCheckError('iat_too_old');
}

/**
 * OIDC Core §3.1.3.7 step 5: "If an azp (authorized party) Claim is present, the Client SHOULD
 * verify that its client_id is the Claim Value." oauth4webapi does so only when `aud` has
 * several values; a single audience with another `azp` is refused here.
 */
export function checkAuthorizedParty(claims: Pick<oauth.IDToken, 'azp'>, clientId: string): void {
  if (claims.azp !== undefined && claims.azp !== clientId)
    throw new IdTokenCheckError('azp_mismatch');
}

/**
 * The hash that `at_hash` uses: the one of the ID token's JWS algorithm (OIDC Core §3.2.2.9:
 * "the hash algorithm used is the hash algorithm used in the alg Header Parameter"; SHA-512 for
 * EdDSA, as the OpenID Foundation's clarification and oauth4webapi's hybrid flow have it).
 */
function hashOf(alg: unknown): 'SHA-256' | 'SHA-384' | 'SHA-512' | undefined {
  if (typeof alg !== 'string') return undefined;
  if (alg === 'EdDSA' || alg === 'Ed25519') return 'SHA-512';
  const bits = /^(?:RS|PS|ES)(256|384|512)$/.exec(alg)?.[1];
  return bits === '256'
    ? 'SHA-256'
    : bits === '384'
      ? 'SHA-384'
      : bits === '512'
        ? 'SHA-512'
        : undefined;
}

/**
 * OIDC Core §3.1.3.8 / §3.2.2.9: when the ID token carries `at_hash`, it must be the base64url
 * of the left half of the hash of the access token that came with it.
 */
export async function checkAccessTokenHash(
  idToken: string,
  claims: { readonly [claim: string]: unknown },
  accessToken: string,
): Promise<void> {
  if (claims.at_hash === undefined) return; // optional in the code flow
  const hash = hashOf(decodeProtectedHeader(idToken).alg);
  if (!hash) throw new IdTokenCheckError('at_hash_unverifiable');
  const digest = new Uint8Array(
    await crypto.subtle.digest(hash, new TextEncoder().encode(accessToken)),
  );
  if (claims.at_hash !== base64url.encode(digest.slice(0, digest.length / 2)))
    throw new IdTokenCheckError('at_hash_mismatch');
}

/** Every check above, in the order of OIDC Core §3.1.3.7 and §3.1.3.8. */
export async function checkIdTokenClaims(
  idToken: string,
  claims: oauth.IDToken,
  expected: { clientId: string; accessToken: string },
): Promise<void> {
  checkAuthorizedParty(claims, expected.clientId);
  checkIssuedAt(claims);
  await checkAccessTokenHash(idToken, claims, expected.accessToken);
}
