/**
 * The session cookie: one sealed iron-session cookie (AES-256-CBC + HMAC, keys derived from
 * SESSION_SECRET). Web APIs only: the Edge middleware reads it too.
 */
import type { SessionOptions } from 'iron-session';
import { config } from '../config';

/** Absolute lifetime of a session: after this the user signs in again. */
export const SESSION_TTL_S = 12 * 60 * 60;

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
  /** Scopes granted to the access token, as the token endpoint reported them. */
  scope: string;
  refreshToken?: string;
  /** Epoch seconds. */
  createdAt: number;
}

export function sessionCookieName(): string {
  // `__Host-`: only set over HTTPS, Path=/ and no Domain, so no subdomain can plant or read it.
  return config().production ? '__Host-session' : 'session';
}

export function sessionOptions(): SessionOptions {
  const { production, sessionSecret } = config();
  return {
    cookieName: sessionCookieName(),
    password: sessionSecret,
    ttl: SESSION_TTL_S,
    cookieOptions: { httpOnly: true, sameSite: 'lax', path: '/', secure: production },
  };
}

/** A session is usable only if it holds everything the app relies on. */
export function isSessionData(value: Partial<SessionData>): value is SessionData {
  return (
    typeof value.sub === 'string' &&
    typeof value.idToken === 'string' &&
    typeof value.accessToken === 'string' &&
    typeof value.accessTokenExpiresAt === 'number'
  );
}
