/**
 * Validating an access token: RFC 9068 for JWTs (with jose), RFC 7662 introspection for opaque
 * tokens when configured. Every failure is an InvalidTokenError with a reason code for the log;
 * the client only ever sees `invalid_token`.
 */
import {
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';
import {
  claimAt,
  ID_TOKEN_ONLY_CLAIMS,
  matchesAny,
  normalizeTyp,
  PROFILES,
  stringList,
  type AccessTokenShape,
} from '../providers/profiles.ts';
import { CodedError } from '../coded-error.ts';
import { JwksUnavailableError, type JwksCache } from './jwks.ts';
import { createVerifiedTokens } from './verified-tokens.ts';

export interface AccessToken {
  sub: string;
  client_id: string;
  scopes: ReadonlySet<string>;
  /** From the provider profile's roles or groups claim (empty without one). */
  roles: ReadonlySet<string>;
  /** RFC 9068 §2.2: a client-credentials token has no user; its `sub` is the client. */
  kind: 'user' | 'machine';
  /** How it was validated. */
  format: 'jwt' | 'opaque';
  exp: number;
}

/**
 * Why an access token was refused: a closed set of codes, as jose has JOSEErrorCode. Logged and
 * counted (lib/resource-server/metrics.ts); the caller only ever sees `invalid_token`.
 */
export type AccessTokenRejection =
  // The JWS and its header (RFC 7515, RFC 8725 §3.1, §3.11).
  | 'malformed'
  | 'wrong_typ'
  | 'alg_not_allowed'
  | 'unsupported_crit'
  | 'unsupported'
  | 'bad_signature'
  | 'unknown_kid'
  | 'ambiguous_key'
  // The claims (RFC 9068 §4, RFC 7519 §4.1).
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'expired'
  | 'too_old'
  | 'not_yet_valid'
  | 'issued_in_future'
  | 'missing_exp'
  | 'missing_iat'
  | 'missing_sub'
  | 'missing_iss'
  | 'missing_aud'
  | 'invalid_exp'
  | 'invalid_iat'
  | 'invalid_nbf'
  | 'invalid_sub'
  | 'invalid_claim'
  | 'missing_client_id'
  | 'invalid_client_id'
  | 'invalid_scope'
  | 'invalid_roles'
  // What kind of token it is.
  | 'id_token_presented'
  | 'missing_access_token_marker'
  | 'sender_constrained_token'
  | 'encrypted_token_unsupported'
  | 'opaque_not_supported'
  // Introspection (RFC 7662).
  | 'introspection_inactive'
  | 'introspection_refused'
  | 'wrong_token_type'
  | 'invalid';

export class InvalidTokenError extends CodedError<AccessTokenRejection> {
  override name = 'InvalidTokenError';
}

/** jose's claim names that have a code of their own, missing or malformed. */
const MISSING = {
  exp: 'missing_exp',
  iat: 'missing_iat',
  sub: 'missing_sub',
  iss: 'missing_iss',
  aud: 'missing_aud',
} as const;
const MALFORMED = {
  exp: 'invalid_exp',
  iat: 'invalid_iat',
  nbf: 'invalid_nbf',
  sub: 'invalid_sub',
} as const;
const codeOf = <T extends Record<string, AccessTokenRejection>>(
  table: T,
  claim: string,
): AccessTokenRejection =>
  Object.hasOwn(table, claim) ? table[claim as keyof T]! : 'invalid_claim';

export interface VerifierOptions {
  /** The issuer identifier exactly as its metadata states it. */
  issuer: string;
  audience: string;
  algorithms: string[];
  clockToleranceS: number;
  jwks: JwksCache;
  /** The provider's access-token shape (lib/providers/); strict RFC 9068 by default. */
  shape?: AccessTokenShape;
  /** The API's name for a scope the provider names differently (API_SCOPE_PREFIX, API_SCOPE_MAP). */
  scopeName?: (scope: string) => string;
  /** RFC 7662, for tokens that are not JWTs; without it they are refused. */
  introspect?: (token: string) => Promise<AccessToken>;
}

/** The oldest `iat` accepted (jose's maxTokenAge also refuses an `iat` in the future). */
const MAX_TOKEN_AGE_S = 24 * 60 * 60;

/** Strict RFC 9068: `typ: at+jwt`, `scope` string, `client_id`. */
export const RFC_9068_SHAPE = PROFILES.generic.accessToken;

function firstPresent(claims: Record<string, unknown>, names: readonly string[]): unknown {
  return firstClaim(claims, names)?.value;
}

function firstClaim(
  claims: Record<string, unknown>,
  names: readonly string[],
): { name: string; value: unknown } | undefined {
  for (const name of names) {
    const value = claimAt(claims, name);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

/**
 * The granted scopes. `scope` is a space-separated string (RFC 9068 §2.2.3, RFC 8693 §4.2);
 * other scope claims (Okta `scp`, Entra `roles` for application permissions) may be arrays.
 */
function scopesOf(claims: Record<string, unknown>, names: readonly string[]): string[] | undefined {
  const found = firstClaim(claims, names);
  if (!found) return [];
  if (found.name === 'scope')
    return typeof found.value === 'string' ? stringList(found.value) : undefined;
  return Array.isArray(found.value) || typeof found.value === 'string'
    ? stringList(found.value)
    : undefined;
}

/**
 * The checked claims, whichever way they were validated, read where the provider profile says.
 * The client id must be a string (RFC 9068 §2.2, RFC 7662 §2.2); `sub` must be a string when
 * present: a non-string `sub` must never turn a user token into a machine token. Only
 * introspection may omit `sub` (client credentials). Scopes and roles must be strings, arrays of
 * strings (or, for roles, an object of role names); a malformed claim is refused, not read as empty.
 */
export function toAccessToken(
  claims: Record<string, unknown>,
  format: AccessToken['format'],
  shape: AccessTokenShape = RFC_9068_SHAPE,
  scopeName: (scope: string) => string = (scope) => scope,
): AccessToken {
  // RFC 9449 §7.2 (DPoP, `cnf.jkt`) and RFC 8705 §3 (mutual TLS, `cnf["x5t#S256"]`): a token
  // bound to a key is only good with proof of that key. This API reads the Bearer scheme only,
  // where no proof travels, so a bound token is refused: a copy of it must not work here.
  if (claims.cnf !== undefined) throw new InvalidTokenError('sender_constrained_token');
  const clientId = firstPresent(claims, shape.clientIdClaims);
  if (clientId === undefined) throw new InvalidTokenError('missing_client_id');
  if (typeof clientId !== 'string' || !clientId) throw new InvalidTokenError('invalid_client_id');
  if (claims.sub !== undefined && (typeof claims.sub !== 'string' || !claims.sub))
    throw new InvalidTokenError('invalid_sub');
  const scopes = scopesOf(claims, shape.scopeClaims);
  if (!scopes) throw new InvalidTokenError('invalid_scope');
  const rolesValue = shape.rolesClaim ? claimAt(claims, shape.rolesClaim) : undefined;
  const roles = rolesValue === undefined ? [] : stringList(rolesValue);
  if (!roles) throw new InvalidTokenError('invalid_roles');
  const sub = (claims.sub as string | undefined) ?? clientId;
  return {
    sub,
    client_id: clientId,
    scopes: new Set(scopes.map(scopeName)),
    roles: new Set(roles),
    kind: sub === clientId || matchesAny(claims, shape.machineMarkers) ? 'machine' : 'user',
    format,
    exp: Number(claims.exp),
  };
}

/**
 * Maps the provider's scope names to the API's: a prefix removed (Cognito names custom scopes
 * `<resource server>/<scope>`), then renamed by `map` (for names a provider will not accept).
 */
export function scopeNamer(
  prefix: string | undefined,
  map: Readonly<Record<string, string>>,
): (scope: string) => string {
  return (scope) => {
    const bare = prefix && scope.startsWith(prefix) ? scope.slice(prefix.length) : scope;
    return Object.hasOwn(map, bare) ? map[bare]! : bare;
  };
}

/** OIDC Core §2, §3.1.3.6: claims only ID tokens carry. */
function hasIdTokenClaims(claims: Record<string, unknown>): boolean {
  return ID_TOKEN_ONLY_CLAIMS.some((name) => claims[name] !== undefined);
}

/** The code of jose's error: by its class and the claim it names, never by its message. */
function reasonOf(err: unknown, header: { crit?: unknown }): AccessTokenRejection {
  if (err instanceof errors.JWTExpired) return err.claim === 'iat' ? 'too_old' : 'expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === 'missing') return codeOf(MISSING, err.claim);
    switch (err.claim) {
      case 'typ':
        return 'wrong_typ';
      case 'aud':
        return 'wrong_audience';
      case 'iss':
        return 'wrong_issuer';
      case 'nbf':
        return err.reason === 'check_failed' ? 'not_yet_valid' : 'invalid_nbf';
      case 'iat':
        return err.reason === 'check_failed' ? 'issued_in_future' : 'invalid_iat';
      default:
        return codeOf(MALFORMED, err.claim);
    }
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (err instanceof errors.JWKSNoMatchingKey) return 'unknown_kid';
  // No `kid` and several keys fit: refused rather than tried one by one.
  if (err instanceof errors.JWKSMultipleMatchingKeys) return 'ambiguous_key';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'alg_not_allowed';
  // RFC 7515 §4.1.11: jose refuses any `crit` extension it does not implement.
  if (err instanceof errors.JOSENotSupported)
    return header.crit !== undefined ? 'unsupported_crit' : 'unsupported';
  if (
    err instanceof errors.JWSInvalid ||
    err instanceof errors.JWTInvalid ||
    err instanceof errors.JWKSInvalid
  )
    return 'malformed';
  return 'invalid';
}

export function createAccessTokenVerifier(options: VerifierOptions) {
  const {
    issuer,
    audience,
    algorithms,
    clockToleranceS,
    jwks,
    introspect,
    shape = RFC_9068_SHAPE,
    scopeName,
  } = options;
  // Tokens that passed everything lately: their signature is not verified again (./verified-tokens.ts).
  const verified = createVerifiedTokens({ clockToleranceS, maxTokenAgeS: MAX_TOKEN_AGE_S });

  /** Is this a genuine ID token from our issuer? Only for the log: the answer is invalid_token anyway. */
  async function isIdToken(token: string): Promise<boolean> {
    try {
      const { payload } = await jwtVerify(token, jwks.getKey, {
        issuer,
        algorithms,
        clockTolerance: clockToleranceS,
      });
      return (
        hasIdTokenClaims(payload) ||
        (firstPresent(payload, shape.clientIdClaims) === undefined &&
          ![payload.aud].flat().includes(audience))
      );
    } catch {
      return false;
    }
  }

  async function refuse(reason: AccessTokenRejection, token: string): Promise<never> {
    if ((reason === 'wrong_typ' || reason === 'wrong_audience') && (await isIdToken(token))) {
      throw new InvalidTokenError('id_token_presented');
    }
    throw new InvalidTokenError(reason);
  }

  async function verifyJwt(token: string): Promise<AccessToken> {
    // RFC 9068 §4 / RFC 8725 §3.11: explicit typing. The profile lists what this provider's
    // access tokens carry (`at+jwt`, or `JWT` / none plus a marker). Checked on the header
    // before the signature: a refusal needs no verified input; acceptance comes only below.
    let typ: string;
    let header: ProtectedHeaderParameters;
    try {
      header = decodeProtectedHeader(token);
      typ = normalizeTyp(header.typ);
    } catch {
      throw new InvalidTokenError('malformed');
    }
    if (!shape.typ.includes(typ)) return refuse('wrong_typ', token);

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks.getKey, {
        issuer, // RFC 9068 §4: exact match
        audience, // RFC 9068 §4: `aud` must contain our identifier
        algorithms, // RFC 8725 §3.1: asymmetric allowlist; never none, never HS*
        clockTolerance: clockToleranceS, // exp and nbf (RFC 7519 §4.1.4, §4.1.5)
        maxTokenAge: MAX_TOKEN_AGE_S, // iat must not be in the future
        requiredClaims: ['exp', 'iat', 'sub'], // RFC 9068 §2.2; the client id is checked by toAccessToken
        // jose rejects unknown `crit` headers (RFC 7515 §4.1.11) and never fetches jku/x5u.
      }));
    } catch (err) {
      if (err instanceof JwksUnavailableError) throw err; // the issuer's fault, not the token's
      return refuse(reasonOf(err, header), token);
    }
    // Where `typ` cannot tell them apart (providers whose ID tokens and access tokens are both
    // `JWT`, or share `aud`), the claims must: an ID token's are refused, and any token not
    // typed at+jwt must carry the profile's positive access-token marker.
    if (hasIdTokenClaims(payload)) throw new InvalidTokenError('id_token_presented');
    if (typ !== 'at+jwt' && !matchesAny(payload, shape.markers))
      throw new InvalidTokenError('missing_access_token_marker');
    const result = toAccessToken(payload, 'jwt', shape, scopeName);
    verified.remember(token, result, { exp: payload.exp!, nbf: payload.nbf, iat: payload.iat! });
    return result;
  }

  return async function verify(token: string): Promise<AccessToken> {
    // A JWS in compact serialization has three segments (RFC 7515 §7.1); anything else is
    // opaque to us, and only the issuer can say what it is (RFC 7662).
    const segments = token.split('.').length;
    if (segments === 3) return verified.recall(token) ?? verifyJwt(token);
    // RFC 7516 §7.1: five segments is an encrypted JWT; we hold no decryption key, and the
    // issuer will not introspect one either.
    if (segments === 5) throw new InvalidTokenError('encrypted_token_unsupported');
    if (introspect) return introspect(token);
    throw new InvalidTokenError('opaque_not_supported');
  };
}
