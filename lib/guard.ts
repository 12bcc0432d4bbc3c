/**
 * What `middleware.ts` runs on the Edge runtime, for every path but Next's static assets.
 * Web APIs only, so that moving to Next 16's `proxy.ts` (Node runtime) is a rename.
 *
 * 1. Request hygiene: a path that does not percent-decode is a 400.
 * 2. Security headers: a nonce-based Content-Security-Policy for pages, a deny-all one for
 *    route handlers.
 * 3. The page guard: an optimistic first check that a valid session cookie is there, or a
 *    redirect to sign in. Pages re-verify on the server (lib/session/session.ts) before using
 *    the session; /api, /auth and /bff check credentials themselves.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { BENCH_PUBLIC_PAGE, benchEnabled } from './bench/enabled';
import {
  apiGate,
  setupRequiredResponse,
  signInOff,
  signInOffResponse,
  unfinishedDeployment,
} from './deployment-setup';
import { LAB_PATH, labEnabled } from './lab/enabled';
import { config } from './config';
import { redirectTo } from './origin';
import { rateLimited } from './rate-limit/responses';
import { API_CSP, isPage, newNonce, pageCsp } from './security-headers';
import { readSessionCookie } from './session/chunks';
import { needsTouch, openSession, sealSession } from './session/cookie';
import { cookieNames } from './cookies/jar';
import { setSessionCookies } from './session/options';
import { loginUrl, ROUTES } from './routes';

/**
 * Pages anyone may see. Every other page needs a session: protected by default. `/setup` (the
 * setup doctor) is there for when sign-in does not work yet; it is a 404 in production.
 */
/** On the request a page renders: what the guard checked (lib/guard.ts), for /flow to show. */
export const GUARD_HEADER = 'x-guard-checked';

const PUBLIC_PAGES = new Set<string>([ROUTES.home, ROUTES.error, ROUTES.setup]);

export async function guard(request: NextRequest): Promise<NextResponse> {
  const { pathname, search } = request.nextUrl;
  try {
    decodeURIComponent(pathname);
  } catch {
    // Next.js would answer a "failed to decode param" 500 further in; it is the client's error.
    return new NextResponse('Bad request: malformed percent-encoding in the path.', {
      status: 400,
      headers: { 'Cache-Control': 'no-store' },
    });
  }

  // /api/notes/… is the one /api path the guard runs on: its callers get the JSON answer.
  const api = /^\/(?:api|bff)(?:\/|$)/.test(pathname);
  if (api) {
    const gated = apiGate();
    if (gated) return gated as NextResponse;
  }
  // A deployment without its settings: every request gets the setup page (a 503).
  const unfinished = unfinishedDeployment();
  if (unfinished.length) return setupRequiredResponse(unfinished) as NextResponse;
  // A preview with sign-in off serves its home page and nothing else.
  if (signInOff() && pathname !== '/') return signInOffResponse() as NextResponse;
  // Sign-in, callback, refresh and sign-out: a per-address limit (RATE_LIMIT_AUTH). Not the
  // back-channel logout, which only the provider calls, from one address, for every user.
  if (
    pathname.startsWith('/auth/') &&
    pathname !== ROUTES.error &&
    pathname !== ROUTES.backchannelLogout
  ) {
    const { authRateLimit, rateLimitClientHeader } = config();
    const limited = rateLimited(
      'auth',
      { rate: authRateLimit, clientHeader: rateLimitClientHeader },
      request,
      'text',
    );
    if (limited) return limited as NextResponse;
  }

  if (!isPage(pathname)) {
    const response = NextResponse.next();
    // /api and /bff get theirs from next.config.ts (the guard runs on /api/notes/… only).
    if (!api) response.headers.set('Content-Security-Policy', API_CSP);
    return response;
  }

  // Next.js reads the policy from the request to put the nonce on its scripts.
  const csp = pageCsp(newNonce());
  const headers = new Headers(request.headers);
  headers.set('Content-Security-Policy', csp);
  // What the guard decided, for the flow inspector to show; never taken from the client.
  headers.delete(GUARD_HEADER);
  const next = () => {
    const response = NextResponse.next({ request: { headers } });
    response.headers.set('Content-Security-Policy', csp);
    return response;
  };

  if (PUBLIC_PAGES.has(pathname) || (pathname === BENCH_PUBLIC_PAGE && benchEnabled()))
    return next();
  // The attack lab, when off, is a 404 for everyone: the page says so itself.
  if (pathname === LAB_PATH && !labEnabled()) return next();

  const opened = await openSession(
    readSessionCookie(cookieNames.session(), (cookie) => request.cookies.get(cookie)?.value),
  );
  // The names of the cookies carried, read only when cookies are written.
  const present = () => request.cookies.getAll().map((c) => c.name);
  if (opened.status === 'valid') {
    const touch = needsTouch(opened.data);
    headers.set(GUARD_HEADER, `session=valid; idle-timer=${touch ? 'restarted' : 'recent'}`);
    const response = next();
    if (touch) {
      // Activity restarts the idle timer. Written through response.cookies, so the page
      // rendered for this same request already sees the new value. The session opened from
      // these cookies, so it fits them again (the same tokens, one timestamp changed).
      const data = { ...opened.data, lastSeenAt: Math.floor(Date.now() / 1000) };
      setSessionCookies(response.cookies, present(), { value: await sealSession(data), data });
    }
    return response;
  }

  // To the configured origin, whatever Host the request carried (lib/origin.ts).
  const response = redirectTo(loginUrl(`${pathname}${search}`), 307);
  // Cookies that are there but not a valid session (idle, expired, tampered) are removed.
  if (opened.status !== 'none') setSessionCookies(response.cookies, present());
  return response;
}
