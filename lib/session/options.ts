/** The session cookie's shape, name and attributes. Web APIs only: the Edge guard reads it too. */
import { config } from '../config';
import { cookieNames, deleteCookie, setCookie, type CookieSink } from '../cookies/jar';
import { sessionCookieWrites } from './chunks';

export interface SessionData {
  /** The ID token's `sub`: who the user is. */
  sub: string;
  /**
   * The validated ID token. Its claims are the user's display claims (no second copy is kept),
   * and it is the `id_token_hint` of RP-initiated logout.
   */
  idToken: string;
  /** Access token for `/api`, with its expiry in epoch seconds. */
  accessToken: string;
  accessTokenExpiresAt: number;
  /** When the current tokens arrived (epoch seconds); absent in sessions from older versions. */
  tokensReceivedAt?: number;
  /** Scopes granted to the access token, as the token endpoint reported them. */
  scope: string;
  refreshToken?: string;
  /** Epoch seconds: sign-in (absolute lifetime) and last activity (idle timeout). */
  createdAt: number;
  lastSeenAt: number;
  /** Store mode: the session's id in the server-side store (lib/session/store/). */
  sid?: string;
  /** Store mode: the provider's session id (the ID token's `sid`), named by back-channel logout. */
  providerSid?: string;
}

/**
 * What the cookie holds in store mode (SESSION_STORE=memory or redis): the session id, whose
 * session it is, and the timestamps the Edge guard checks. The tokens stay on the server.
 */
export interface SessionPointer {
  sid: string;
  sub: string;
  createdAt: number;
  lastSeenAt: number;
}

/** The sealed content of the session cookie: the whole session (cookie mode) or a pointer (store mode). */
export type CookieSession = SessionData | SessionPointer;

/** Seconds left of the absolute lifetime of a session created at `createdAt`. */
export function remainingLifetimeS(createdAt: number, now = Math.floor(Date.now() / 1000)): number {
  return Math.max(0, createdAt + config().sessionMaxAgeS - now);
}

/**
 * Writes the session's cookies to `sink` (a response's cookies or next/headers' jar): `sealed`
 * for `data`, split as lib/session/chunks.ts says, living as long as what is left of the
 * absolute lifetime; or, without `sealed`, deletes every session cookie among `present` (the
 * names the request carried). Names and attributes are lib/cookies/jar.ts's.
 */
export function setSessionCookies(
  sink: CookieSink,
  present: readonly string[],
  sealed?: { value: string; data: Pick<SessionData, 'createdAt'> },
): void {
  for (const write of sessionCookieWrites(cookieNames.session(), sealed?.value, present)) {
    if (write.value && sealed)
      setCookie(sink, write.name, write.value, remainingLifetimeS(sealed.data.createdAt));
    else deleteCookie(sink, write.name);
  }
}
