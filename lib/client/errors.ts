/**
 * Why a sign-in failed. The reason is a fixed code: it is logged, and it selects the message on
 * the error page. Nothing the provider or the browser sent is ever echoed back as HTML.
 */
export type LoginFailure =
  | 'access_denied' // the user cancelled at the provider
  | 'provider_error' // any other error response from the authorization endpoint
  | 'missing_transaction' // no login in progress in this browser for this `state`
  | 'state_mismatch'
  | 'issuer_mismatch' // RFC 9207
  | 'token_request_failed'
  | 'id_token_invalid'
  | 'provider_unavailable'
  | 'session_too_large' // the tokens do not fit in the session cookies
  | 'internal_error'; // a bug of ours: never reported as the provider's fault

import * as oauth from 'oauth4webapi';
import { CodedError } from '../coded-error';
import { ResponseTooLargeError } from '../issuer-http';

/**
 * Did a request fail in transport (time limit, refused or reset connection) rather than get an
 * answer? Looks through the cause chain: oauth4webapi wraps, for example, a body that never
 * arrived in a parse error whose cause is the TimeoutError.
 */
export function isTransportFailure(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e && depth < 6; depth++) {
    if (e instanceof DOMException) return true; // TimeoutError, AbortError
    if (e instanceof ResponseTooLargeError) return true; // no usable answer (lib/issuer-http.ts)
    if (e instanceof TypeError && !('code' in e)) return true; // fetch failed (oauth4webapi's own TypeErrors carry a code)
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Did the provider fail us: no answer (transport), or an answer that oauth4webapi could not use
 * (an error body, a challenge, a response that is not what the spec says)? Anything else thrown
 * while talking to it is a bug of ours, and is not logged as the provider's outage.
 */
export function isProviderFailure(err: unknown): boolean {
  return (
    isTransportFailure(err) ||
    err instanceof oauth.ResponseBodyError ||
    err instanceof oauth.WWWAuthenticateChallengeError ||
    err instanceof oauth.AuthorizationResponseError ||
    err instanceof oauth.OperationProcessingError ||
    err instanceof oauth.UnsupportedOperationError
  );
}

/**
 * What the provider answered, for the log: its HTTP status and its OAuth `error` code (RFC 6749
 * §4.1.2.1, §5.2), or `timeout` / `network` when no answer came. Never a token, a secret or free
 * text.
 */
export function providerAnswer(err: unknown): { status?: number; error?: string } {
  let e: unknown = err;
  for (let depth = 0; e && depth < 6; depth++) {
    if (e instanceof oauth.ResponseBodyError)
      return { status: e.status, error: errorCode(e.error) };
    // An error response of the authorization endpoint, at the callback (RFC 6749 §4.1.2.1).
    if (e instanceof oauth.AuthorizationResponseError) return { error: errorCode(e.error) };
    if (e instanceof oauth.WWWAuthenticateChallengeError)
      return { status: e.status, error: errorCode(e.cause[0]?.parameters.error) };
    if (e instanceof Response) return { status: e.status };
    if (e instanceof DOMException)
      return { error: e.name === 'TimeoutError' ? 'timeout' : 'aborted' };
    if (e instanceof TypeError && !('code' in e)) return { error: 'network' };
    e = (e as { cause?: unknown }).cause;
  }
  return {};
}

/** RFC 6749 §5.2: an error code is printable ASCII without `"` or `\`; anything else is not logged as sent. */
function errorCode(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return /^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,64}$/.test(value) ? value : 'malformed';
}

/** Could the issuer's JWKS not be fetched (down, slow, not a JWKS)? Not the token's fault. */
export function isJwksUnavailable(err: unknown): boolean {
  return (
    isTransportFailure(err) ||
    (err instanceof oauth.OperationProcessingError &&
      (err.code === oauth.RESPONSE_IS_NOT_CONFORM ||
        err.code === oauth.RESPONSE_IS_NOT_JSON ||
        err.code === oauth.PARSE_ERROR))
  );
}

/**
 * Did oauth4webapi refuse the ID token, rather than the token response around it? Decided by the
 * error's code and by what it carries (the claims, the header, the JWS, the key), never by its
 * message. `bodyWasJson`: whether the response body parses as JSON, which tells a PARSE_ERROR of
 * the body from one of the JWS inside it.
 */
export function isIdTokenFailure(err: unknown, bodyWasJson = false): boolean {
  if (!(err instanceof oauth.OperationProcessingError)) return false; // e.g. ResponseBodyError invalid_grant
  switch (err.code) {
    case oauth.JWT_CLAIM_COMPARISON:
    case oauth.JWT_TIMESTAMP_CHECK:
      return true;
    case oauth.PARSE_ERROR:
      return bodyWasJson; // the body parsed, so the JWS in it did not
    case oauth.INVALID_RESPONSE: {
      const cause: unknown = err.cause;
      if (typeof cause === 'string') return true; // the JWS itself: not three segments
      if (typeof cause !== 'object' || cause === null) return false;
      // A claim's presence or type, the header's alg, the signature.
      if ('claims' in cause || 'header' in cause || 'key' in cause) return true;
      // A readable token response with an access token but no ID token (requireIdToken).
      const body = (cause as { body?: unknown }).body as Record<string, unknown> | undefined;
      return (
        typeof body === 'object' &&
        body !== null &&
        typeof body.access_token === 'string' &&
        typeof body.id_token !== 'string'
      );
    }
    default:
      return false;
  }
}

/** Does this response's body parse as JSON? Read from a copy taken before oauth4webapi read it. */
export async function parsesAsJson(copy: Response): Promise<boolean> {
  return copy.json().then(
    () => true,
    () => false,
  );
}

export class LoginError extends CodedError<LoginFailure> {
  override name = 'LoginError';
}

export const LOGIN_FAILURE_MESSAGES: Record<LoginFailure, { title: string; detail: string }> = {
  access_denied: {
    title: 'Sign-in was cancelled',
    detail:
      'You cancelled at the identity provider, or it refused the request. Nothing was stored.',
  },
  provider_error: {
    title: 'The identity provider returned an error',
    detail: 'The identity provider could not complete the sign-in.',
  },
  missing_transaction: {
    title: 'This sign-in link has expired',
    detail:
      'The sign-in was not started in this browser, took longer than 10 minutes, or was already used.',
  },
  state_mismatch: {
    title: 'This sign-in response does not match your request',
    detail: 'The response carried a different state than the sign-in this browser started.',
  },
  issuer_mismatch: {
    title: 'The response came from the wrong identity provider',
    detail: 'The authorization response named an issuer other than the configured one (RFC 9207).',
  },
  token_request_failed: {
    title: 'The identity provider refused to issue tokens',
    detail: 'The authorization code could not be exchanged for tokens.',
  },
  id_token_invalid: {
    title: 'The identity provider sent an invalid ID token',
    detail: 'The ID token failed validation, so no session was created.',
  },
  provider_unavailable: {
    title: 'The identity provider is unavailable',
    detail: 'It could not be reached or did not answer in time.',
  },
  internal_error: {
    title: 'Something went wrong on our side',
    detail:
      'The sign-in could not be completed because of an error in this app, not at the identity provider. Nothing was stored.',
  },
  session_too_large: {
    title: 'The sign-in is too large to keep',
    detail:
      "The identity provider's tokens do not fit in this app's session cookies. The fix for the administrator: keep sessions on the server (SESSION_STORE=redis, see docs/sessions.md), or ask the provider for smaller tokens.",
  },
};

export function isLoginFailure(value: string | null): value is LoginFailure {
  return value !== null && Object.hasOwn(LOGIN_FAILURE_MESSAGES, value);
}
