/**
 * Every cookie this app sets, in one place: its name, its attributes, and every write and delete.
 * The session (lib/session/), the sign-in transaction (lib/client/transaction.ts) and the
 * sign-out state (lib/client/logout.ts) say what goes in their cookies; this module says how a
 * cookie is written. Web APIs only: the Edge guard writes the session cookie too.
 *
 * Every cookie gets the same attributes:
 * - HttpOnly: no script ever reads a token, a state or a verifier;
 * - SameSite=Lax: sent on the top-level navigation back from the provider, not on cross-site
 *   subrequests;
 * - Path=/ and, in production, Secure with the `__Host-` prefix (RFC 6265bis §4.1.3.2): set only
 *   over HTTPS, with no Domain, so a sibling subdomain can neither plant nor overwrite one.
 *   (`next dev` runs on http://localhost, where the prefix cannot be used.)
 */
import { config } from '../config';

export interface CookieAttributes {
  httpOnly: true;
  sameSite: 'lax';
  path: '/';
  secure: boolean;
  maxAge: number;
  expires?: Date;
}

/** Where cookies are written: a NextResponse's `cookies`, or next/headers' `cookies()`. */
export interface CookieSink {
  set(name: string, value: string, attributes: CookieAttributes): unknown;
}

/** Where cookies are read: a NextRequest's `cookies`, or next/headers' `cookies()`. */
export interface CookieSource {
  get(name: string): { value: string } | undefined;
  getAll(): Array<{ name: string; value: string }>;
}

const prefix = () => (config().production ? '__Host-' : '');

/** The name of each cookie of this app. */
export const cookieNames = {
  /** The session (lib/session/): `<name>`, or `<name>.0`, `<name>.1` when split. */
  session: () => `${prefix()}session`,
  /** One per sign-in in progress, named after its `state` (lib/client/transaction.ts). */
  transaction: (state: string) => `${prefix()}oidc-tx.${state}`,
  transactionPrefix: () => `${prefix()}oidc-tx.`,
  /** During sign-out at the provider (lib/client/logout.ts). */
  logoutState: () => `${prefix()}logout-state`,
} as const;

export function cookieAttributes(maxAgeS: number): CookieAttributes {
  return {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: config().production,
    maxAge: Math.max(0, Math.floor(maxAgeS)),
  };
}

/** The attribute string a browser is sent, for the pages that explain the cookies. */
export function describeAttributes(): string {
  return `HttpOnly; SameSite=Lax; Path=/${config().production ? '; Secure (the __Host- prefix: no Domain)' : ''}`;
}

export function setCookie(sink: CookieSink, name: string, value: string, maxAgeS: number): void {
  sink.set(name, value, cookieAttributes(maxAgeS));
}

/**
 * Deletes a cookie: an empty value that expired long ago (Next drops `Max-Age=0` on its own), with
 * the same attributes, since a `__Host-` cookie is only replaced by one with Secure and Path=/.
 */
export function deleteCookie(sink: CookieSink, name: string): void {
  sink.set(name, '', { ...cookieAttributes(0), expires: new Date(0) });
}
