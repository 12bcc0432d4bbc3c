/**
 * The page guard run by `middleware.ts` on the Edge runtime. Web APIs only, so that moving to
 * Next 16's `proxy.ts` (Node runtime) is a rename.
 *
 * An optimistic first check: is there a session cookie that unseals? Pages re-verify on the
 * server (lib/session/session.ts requireSession) before they use it.
 */
import { unsealData } from 'iron-session';
import { NextResponse, type NextRequest } from 'next/server';
import { isSessionData, sessionCookieName, sessionOptions, type SessionData } from './session/options';

/** Pages anyone may see. Every other page needs a session: protected by default. */
const PUBLIC_PAGES = new Set(['/']);

export async function guard(request: NextRequest): Promise<NextResponse> {
  const { pathname, search } = request.nextUrl;
  if (PUBLIC_PAGES.has(pathname)) return NextResponse.next();

  const sealed = request.cookies.get(sessionCookieName())?.value;
  if (sealed) {
    const { password, ttl } = sessionOptions();
    // unsealData returns {} for a tampered, foreign or expired seal; it does not throw.
    const data = await unsealData<Partial<SessionData>>(sealed, { password, ttl });
    if (isSessionData(data)) return NextResponse.next();
  }

  const login = new URL('/auth/login', request.url);
  login.searchParams.set('returnTo', `${pathname}${search}`);
  return NextResponse.redirect(login);
}
