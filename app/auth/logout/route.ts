/**
 * POST /auth/logout: end the local session, revoke the refresh token, then RP-initiated logout
 * at the provider. POST only and same-origin only (CSRF); a GET gets 405.
 */
import * as oauth from 'oauth4webapi';
import { NextResponse, type NextRequest } from 'next/server';
import { endSessionUrl, LOGOUT_STATE_COOKIE, revokeRefreshToken } from '@/lib/client/logout';
import { config } from '@/lib/config';
import { logEvent } from '@/lib/log';
import { isSameOriginRequest } from '@/lib/same-origin';
import { endSession, getSession } from '@/lib/session/session';

export const dynamic = 'force-dynamic';

export async function POST(request: NextRequest) {
  if (!isSameOriginRequest(request)) {
    logEvent('logout_refused', { reason: 'cross_origin' });
    return new NextResponse('Cross-site sign-out refused.', { status: 403, headers: { 'Cache-Control': 'no-store' } });
  }
  const session = await getSession();
  const { idToken, refreshToken, sub } = session ?? {};
  await endSession();
  await revokeRefreshToken(refreshToken);
  logEvent('logout', { sub });

  const state = oauth.generateRandomState();
  const endSessionAt = idToken ? await endSessionUrl(idToken, state) : undefined;
  const response = NextResponse.redirect(endSessionAt ?? new URL('/', request.url), 303);
  if (endSessionAt) {
    response.cookies.set(LOGOUT_STATE_COOKIE, state, {
      httpOnly: true,
      sameSite: 'lax',
      secure: config().production,
      path: '/auth/logout/callback',
      maxAge: 600,
    });
  }
  response.headers.set('Cache-Control', 'no-store');
  return response;
}
