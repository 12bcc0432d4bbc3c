/**
 * OpenID Connect Back-Channel Logout 1.0 §2.6: validating a logout token. The provider POSTs it
 * to /auth/backchannel-logout when the user signs out there (or anywhere else in the same
 * provider session); the app then ends the sessions it names (store mode).
 *
 * Every check the spec lists, in its order, each a reason code for the log:
 *   1. a signed JWT, with the pinned algorithm, verified against the issuer's keys (§2.6 step 3);
 *   2. `iss`, `aud` (our client id), `iat`, and `exp` when present (step 4);
 *   3. `typ` is `logout+jwt` when present (§2.4, explicit typing);
 *   4. `events` holds the back-channel-logout event, a JSON object (step 5);
 *   5. `sub` and/or `sid` (step 6), and no `nonce` (step 7);
 *   6. `jti` not seen before (step 8: replay).
 */
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { CodedError } from '../coded-error';

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** Logout tokens older than this are refused (§2.6 step 4 allows a bound on `iat`). */
export const MAX_LOGOUT_TOKEN_AGE_S = 5 * 60;

export type LogoutTokenFailure =
  | 'malformed'
  | 'bad_signature'
  | 'alg_not_allowed'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'expired'
  | 'too_old'
  | 'missing_claim'
  | 'wrong_typ'
  | 'no_logout_event'
  | 'no_sub_or_sid'
  | 'nonce_present'
  | 'replayed';

export class LogoutTokenError extends CodedError<LogoutTokenFailure> {
  override name = 'LogoutTokenError';
}

export interface LogoutTokenChecks {
  issuer: string;
  clientId: string;
  algorithm: string;
  keys: JWTVerifyGetKey;
  /** Remembers `jti` (per issuer) and says whether it is new; false means a replay. */
  firstUse: (jti: string) => Promise<boolean>;
  clockToleranceS?: number;
}

function failureOf(err: unknown): LogoutTokenFailure {
  if (err instanceof errors.JOSEAlgNotAllowed) return 'alg_not_allowed';
  if (
    err instanceof errors.JWSSignatureVerificationFailed ||
    err instanceof errors.JWKSNoMatchingKey
  )
    return 'bad_signature';
  if (err instanceof errors.JWTExpired) return err.claim === 'iat' ? 'too_old' : 'expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === 'missing') return 'missing_claim';
    if (err.claim === 'iss') return 'wrong_issuer';
    if (err.claim === 'aud') return 'wrong_audience';
    if (err.claim === 'typ') return 'wrong_typ';
    if (err.claim === 'iat') return 'too_old';
  }
  return 'malformed';
}

/** The validated claims that say which sessions end. Throws LogoutTokenError with a reason. */
export async function validateLogoutToken(
  token: string,
  checks: LogoutTokenChecks,
): Promise<{ sub?: string; sid?: string; jti: string }> {
  let payload: JWTPayload;
  let typ: string | undefined;
  try {
    const verified = await jwtVerify(token, checks.keys, {
      algorithms: [checks.algorithm],
      issuer: checks.issuer,
      audience: checks.clientId,
      requiredClaims: ['iat', 'jti', 'events'],
      maxTokenAge: MAX_LOGOUT_TOKEN_AGE_S, // also refuses an `iat` in the future
      clockTolerance: checks.clockToleranceS ?? 30,
    });
    payload = verified.payload;
    typ = verified.protectedHeader.typ;
  } catch (err) {
    throw new LogoutTokenError(failureOf(err));
  }
  if (typ !== undefined && typ.toLowerCase().replace(/^application\//, '') !== 'logout+jwt')
    throw new LogoutTokenError('wrong_typ');

  const events = payload.events as Record<string, unknown> | undefined;
  const event =
    typeof events === 'object' && events !== null && !Array.isArray(events)
      ? events[BACKCHANNEL_LOGOUT_EVENT]
      : undefined;
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    throw new LogoutTokenError('no_logout_event');

  const sub = typeof payload.sub === 'string' && payload.sub ? payload.sub : undefined;
  const sid = typeof payload.sid === 'string' && payload.sid ? payload.sid : undefined;
  if ((payload.sub !== undefined && !sub) || (payload.sid !== undefined && !sid) || (!sub && !sid))
    throw new LogoutTokenError('no_sub_or_sid');
  if (payload.nonce !== undefined) throw new LogoutTokenError('nonce_present');
  if (typeof payload.jti !== 'string' || !payload.jti) throw new LogoutTokenError('missing_claim');
  if (!(await checks.firstUse(payload.jti))) throw new LogoutTokenError('replayed');
  return { sub, sid, jti: payload.jti };
}
