/**
 * Response headers set by the Edge guard. Web APIs only.
 *
 * Pages get a strict, nonce-based Content-Security-Policy: Next.js reads the policy from the
 * request headers and puts the nonce on its own scripts; 'strict-dynamic' lets those load the
 * rest, and nothing else runs. Route handlers (JSON and redirects) get a policy that allows
 * nothing at all.
 */
import { config } from './config';
import { signInOff } from './deployment-setup';
import { ROUTES } from './routes';

/** Pages (HTML) render with the nonce; /auth/error is the one page under /auth. */
export function isPage(pathname: string): boolean {
  return !/^\/(?:api|auth|bff)(?:\/|$)/.test(pathname) || pathname === ROUTES.error;
}

export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** The provider's origin, for form-action; none where nothing signs in (PREVIEW_SIGN_IN=off). */
function issuerOrigin(): string {
  return signInOff() ? '' : ` ${config().issuer.origin}`;
}

export function pageCsp(nonce: string): string {
  const dev = process.env.NODE_ENV !== 'production';
  return [
    "default-src 'self'",
    // React's development build needs eval; production does not.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' ${dev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${dev ? ' ws:' : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    // The sign-out form posts here and is redirected to the provider's end_session_endpoint.
    `form-action 'self'${issuerOrigin()}`,
    "frame-ancestors 'none'",
  ].join('; ');
}

export const API_CSP =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
