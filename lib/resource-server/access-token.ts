/**
 * RFC 9068 validation of JWT access tokens, with jose, against the issuer's JWKS (cached).
 * The ID token fails here on purpose: its `typ` is not at+jwt and its `aud` is the client.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import * as oauth from 'oauth4webapi';
import { config, isLoopback } from '../config';

/** RFC 8725 §3.1: pin the algorithms; asymmetric only, so never `none` nor HS*. */
export const ALLOWED_ALGORITHMS = ['RS256', 'PS256', 'ES256'];
/** Leeway for `exp` and `nbf` between our clock and the issuer's. */
export const CLOCK_TOLERANCE_S = 30;
const HTTP_TIMEOUT_MS = 5_000;

export interface AccessToken {
  sub: string;
  client_id: string;
  scopes: ReadonlySet<string>;
  /** RFC 9068 §2.2: a client-credentials token has no user; its `sub` is the client. */
  kind: 'user' | 'machine';
  claims: JWTPayload;
}

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

interface Issuer {
  /** The issuer identifier exactly as its metadata states it (checked against OIDC_ISSUER). */
  iss: string;
  keys: ReturnType<typeof createRemoteJWKSet>;
}

let issuerPromise: Promise<Issuer> | undefined;

/** The issuer's JWKS, found through its metadata (RFC 8414 / OIDC Discovery), cached by jose. */
function trustedIssuer(): Promise<Issuer> {
  issuerPromise ??= (async () => {
    const issuer = config().issuer;
    const insecure = issuer.protocol === 'http:' && isLoopback(issuer);
    const response = await oauth.discoveryRequest(issuer, {
      algorithm: 'oidc',
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
      [oauth.allowInsecureRequests]: insecure,
    });
    const metadata = await oauth.processDiscoveryResponse(issuer, response);
    if (!metadata.jwks_uri) throw new Error('issuer metadata has no jwks_uri');
    const keys = createRemoteJWKSet(new URL(metadata.jwks_uri), {
      timeoutDuration: HTTP_TIMEOUT_MS,
      cooldownDuration: 30_000, // at most one refetch per 30 s for an unknown kid
      cacheMaxAge: 10 * 60_000,
    });
    return { iss: metadata.issuer, keys };
  })();
  issuerPromise.catch(() => (issuerPromise = undefined));
  return issuerPromise;
}

function reasonOf(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'typ') return 'wrong_typ';
    if (err.claim === 'aud') return 'wrong_audience';
    if (err.claim === 'iss') return 'wrong_issuer';
    if (err.claim === 'nbf') return 'not_yet_valid';
    return `bad_claim_${err.claim}`;
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (err instanceof errors.JWKSNoMatchingKey) return 'unknown_kid';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'alg_not_allowed';
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return 'malformed';
  return 'invalid';
}

export async function verifyAccessToken(token: string): Promise<AccessToken> {
  const { apiAudience } = config();
  const { iss, keys } = await trustedIssuer();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      issuer: iss, // RFC 9068 §4: exact match
      audience: apiAudience, // RFC 9068 §4: aud must contain our identifier
      typ: 'at+jwt', // RFC 9068 §2.1 / §4: also accepts application/at+jwt
      algorithms: ALLOWED_ALGORITHMS,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['exp', 'iat', 'sub', 'client_id'], // RFC 9068 §2.2
    }));
  } catch (err) {
    throw new InvalidTokenError(reasonOf(err));
  }
  const sub = String(payload.sub);
  const client_id = String(payload.client_id);
  const scopes = new Set(typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : []);
  return { sub, client_id, scopes, kind: sub === client_id ? 'machine' : 'user', claims: payload };
}
