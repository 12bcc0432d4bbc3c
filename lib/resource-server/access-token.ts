/**
 * Validating an access token: RFC 9068 for JWTs (with jose), RFC 7662 introspection for opaque
 * tokens when configured. Every failure is an InvalidTokenError with a reason code for the log;
 * the client only ever sees `invalid_token`.
 */
import { errors, jwtVerify, type JWTPayload } from 'jose';
import type { JwksCache } from './jwks';

export interface AccessToken {
  sub: string;
  client_id: string;
  scopes: ReadonlySet<string>;
  /** RFC 9068 §2.2: a client-credentials token has no user; its `sub` is the client. */
  kind: 'user' | 'machine';
  /** How it was validated. */
  format: 'jwt' | 'opaque';
  exp: number;
}

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

export interface VerifierOptions {
  /** The issuer identifier exactly as its metadata states it. */
  issuer: string;
  audience: string;
  algorithms: string[];
  clockToleranceS: number;
  jwks: JwksCache;
  /** RFC 7662, for tokens that are not JWTs; without it they are refused. */
  introspect?: (token: string) => Promise<AccessToken>;
}

/** The oldest `iat` accepted (jose's maxTokenAge also refuses an `iat` in the future). */
const MAX_TOKEN_AGE_S = 24 * 60 * 60;

/**
 * The checked claims, whichever way they were validated. `client_id` must be a string (RFC 9068
 * §2.2, RFC 7662 §2.2); `sub` must be a string when present: a non-string `sub` must never turn
 * a user token into a machine token. Only introspection may omit `sub` (client credentials).
 */
export function toAccessToken(claims: { sub?: unknown; client_id?: unknown; scope?: unknown; exp?: unknown }, format: AccessToken['format']): AccessToken {
  if (typeof claims.client_id !== 'string' || !claims.client_id) throw new InvalidTokenError('invalid_client_id');
  if (claims.sub !== undefined && (typeof claims.sub !== 'string' || !claims.sub)) throw new InvalidTokenError('invalid_sub');
  if (claims.scope !== undefined && typeof claims.scope !== 'string') throw new InvalidTokenError('invalid_scope');
  const client_id = claims.client_id;
  const sub = claims.sub ?? client_id;
  return {
    sub,
    client_id,
    scopes: new Set(typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : []),
    kind: sub === client_id ? 'machine' : 'user',
    format,
    exp: Number(claims.exp),
  };
}

function reasonOf(err: unknown): string {
  if (err instanceof errors.JWTExpired) return err.claim === 'iat' ? 'too_old' : 'expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === 'missing') return `missing_${err.claim}`;
    switch (err.claim) {
      case 'typ':
        return 'wrong_typ';
      case 'aud':
        return 'wrong_audience';
      case 'iss':
        return 'wrong_issuer';
      case 'nbf':
        return 'not_yet_valid';
      case 'iat':
        return 'issued_in_future';
      default:
        return `invalid_${err.claim}`;
    }
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (err instanceof errors.JWKSNoMatchingKey) return 'unknown_kid';
  // No `kid` and several keys fit: refused rather than tried one by one.
  if (err instanceof errors.JWKSMultipleMatchingKeys) return 'ambiguous_key';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'alg_not_allowed';
  if (err instanceof errors.JOSENotSupported) return /Extension Header/i.test(err.message) ? 'unsupported_crit' : 'unsupported';
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid || err instanceof errors.JWKSInvalid) return 'malformed';
  return 'invalid';
}

export function createAccessTokenVerifier(options: VerifierOptions) {
  const { issuer, audience, algorithms, clockToleranceS, jwks, introspect } = options;

  /** Is this a genuine ID token from our issuer? Only for the log: the answer is invalid_token anyway. */
  async function isIdToken(token: string): Promise<boolean> {
    try {
      const { payload, protectedHeader } = await jwtVerify(token, jwks.getKey, { issuer, algorithms, clockTolerance: clockToleranceS });
      const typ = protectedHeader.typ?.toLowerCase();
      return (typ === undefined || typ === 'jwt') && !('client_id' in payload) && ![payload.aud].flat().includes(audience);
    } catch {
      return false;
    }
  }

  async function verifyJwt(token: string): Promise<AccessToken> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks.getKey, {
        issuer, // RFC 9068 §4: exact match
        audience, // RFC 9068 §4: `aud` must contain our identifier
        typ: 'at+jwt', // RFC 9068 §4: also accepts application/at+jwt
        algorithms, // RFC 8725 §3.1: asymmetric allowlist; never none, never HS*
        clockTolerance: clockToleranceS, // exp and nbf (RFC 7519 §4.1.4, §4.1.5)
        maxTokenAge: MAX_TOKEN_AGE_S, // iat must not be in the future
        requiredClaims: ['exp', 'iat', 'sub', 'client_id'], // RFC 9068 §2.2
        // jose rejects unknown `crit` headers (RFC 7515 §4.1.11) and never fetches jku/x5u.
      }));
    } catch (err) {
      if (err instanceof Error && err.name === 'JwksUnavailableError') throw err;
      const reason = reasonOf(err);
      if ((reason === 'wrong_typ' || reason === 'wrong_audience') && (await isIdToken(token))) {
        throw new InvalidTokenError('id_token_presented');
      }
      throw new InvalidTokenError(reason);
    }
    return toAccessToken(payload, 'jwt');
  }

  return async function verify(token: string): Promise<AccessToken> {
    // A JWS in compact serialization has three segments (RFC 7515 §7.1); anything else is
    // opaque to us, and only the issuer can say what it is (RFC 7662).
    const segments = token.split('.').length;
    if (segments === 3) return verifyJwt(token);
    // RFC 7516 §7.1: five segments is an encrypted JWT; we hold no decryption key, and the
    // issuer will not introspect one either.
    if (segments === 5) throw new InvalidTokenError('encrypted_token_unsupported');
    if (introspect) return introspect(token);
    throw new InvalidTokenError('opaque_not_supported');
  };
}
