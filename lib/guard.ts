/**
 * The page guard run by `middleware.ts` on the Edge runtime. Web APIs only, so that moving to
 * Next 16's `proxy.ts` (Node runtime) is a rename.
 *
 * An optimistic first check: is there a session cookie that unseals? Pages re-verify on the
 * server (lib/session/session.ts requireSession) before they use it.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { needsTouch, openSession, sealSession } from './session/cookie';
import { deletedSessionCookieOptions, sessionCookieName, sessionCookieOptions } from './session/options';

/** Pages anyone may see. Every other page needs a session: protected by default. */
const PUBLIC_PAGES = new Set(['/']);

/** Route handlers (/api, /auth, /bff) check credentials themselves; the guard only protects pages. */
const NOT_PAGES = /^\/(?:api|auth|bff)(?:\/|$)/;

export async function guard(request: NextRequest): Promise<NextResponse> {
  const { pathname, search } = request.nextUrl;
  // Request hygiene for every path: a path that does not percent-decode is the client's error
  // (400), not a "failed to decode param" 500 further in.
  try {
    decodeURIComponent(pathname);
  } catch {
    return new NextResponse('Bad request: malformed percent-encoding in the path.', { status: 400, headers: { 'Cache-Control': 'no-store' } });
  }
  if (NOT_PAGES.test(pathname) || PUBLIC_PAGES.has(pathname)) return NextResponse.next();

  const name = sessionCookieName();
  const opened = await openSession(request.cookies.get(name)?.value);
  if (opened.status === 'valid') {
    const response = NextResponse.next();
    if (needsTouch(opened.data)) {
      // Activity restarts the idle timer. Written through response.cookies, so the page
      // rendered for this same request already sees the new value.
      const data = { ...opened.data, lastSeenAt: Math.floor(Date.now() / 1000) };
      response.cookies.set(name, await sealSession(data), sessionCookieOptions(data));
    }
    return response;
  }

  const login = new URL('/auth/login', request.url);
  login.searchParams.set('returnTo', `${pathname}${search}`);
  const response = NextResponse.redirect(login);
  // A cookie that is there but not valid (idle, expired, tampered) is removed.
  if (opened.status !== 'none') response.cookies.set(name, '', deletedSessionCookieOptions());
  return response;
}
