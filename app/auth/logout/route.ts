/**
 * POST /auth/logout (optional form field or query `returnTo`): end the local session, revoke the
 * refresh token, then RP-initiated logout at the provider. POST only and same-origin only
 * (CSRF); a GET gets 405.
 */
import * as oauth from 'oauth4webapi';
import { NextResponse, type NextRequest } from 'next/server';
import { encodeLogoutState, endSessionUrl, LOGOUT_STATE_COOKIE, revokeRefreshToken, SIGNED_OUT_PATH } from '@/lib/client/logout';
import { safeReturnTo } from '@/lib/client/return-to';
import { config } from '@/lib/config';
import { logEvent } from '@/lib/log';
import { isSameOriginRequest } from '@/lib/same-origin';
import { endSession, getSession } from '@/lib/session/session';

export const dynamic = 'force-dynamic';

async function requestedReturnTo(request: NextRequest): Promise<string> {
  let value = request.nextUrl.searchParams.get('returnTo');
  if (value === null && request.headers.get('content-type')?.startsWith('application/x-www-form-urlencoded')) {
    const form = await request.formData().catch(() => undefined);
    const field = form?.get('returnTo');
    value = typeof field === 'string' ? field : null;
  }
  // RFC 9700 §4.11: same-origin relative paths only, as at sign-in.
  return safeReturnTo(value, SIGNED_OUT_PATH);
}

export async function POST(request: NextRequest) {
  if (!isSameOriginRequest(request)) {
    logEvent('logout_refused', { reason: 'cross_origin' });
    return new NextResponse('Cross-site sign-out refused.', { status: 403, headers: { 'Cache-Control': 'no-store' } });
  }
  const returnTo = await requestedReturnTo(request);
  const session = await getSession();
  const { idToken, refreshToken, sub } = session ?? {};
  await endSession();
  await revokeRefreshToken(refreshToken);
  logEvent('logout', { sub });

  const state = oauth.generateRandomState();
  const endSessionAt = idToken ? await endSessionUrl(idToken, state) : undefined;
  const response = NextResponse.redirect(endSessionAt ?? new URL(returnTo, request.url), 303);
  if (endSessionAt) {
    // Remembered until the provider sends the browser back to /auth/logout/callback. Encoded
    // as base64url, which survives Next's cookie merging unchanged (percent-encoding does not).
    response.cookies.set(LOGOUT_STATE_COOKIE, encodeLogoutState({ state, returnTo }), {
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
