/**
 * POST /auth/logout (optional form field or query `returnTo`; `everywhere=1` in store mode ends
 * every session of the user): end the local session, revoke the refresh token, then RP-initiated
 * logout at the provider. POST only and same-origin only
 * (CSRF); a GET gets 405.
 */
import * as oauth from 'oauth4webapi';
import { NextResponse, type NextRequest } from 'next/server';
import {
  CLEAR_COOKIES,
  endSessionUrl,
  revokeRefreshToken,
  SIGNED_OUT_LOCALLY_PATH,
  SIGNED_OUT_PATH,
  writeLogoutState,
} from '@/lib/client/logout';
import { safeReturnTo } from '@/lib/client/return-to';
import { config } from '@/lib/config';
import { logEvent } from '@/lib/log';
import { isSameOriginRequest, redirectTo } from '@/lib/origin';
import { endAllSessions, endSession, getSession } from '@/lib/session/session';

export const dynamic = 'force-dynamic';

/** The request's fields, from the query or a form body: `returnTo`, and `everywhere=1`. */
async function requested(request: NextRequest): Promise<{ returnTo: string; everywhere: boolean }> {
  const form = request.headers.get('content-type')?.startsWith('application/x-www-form-urlencoded')
    ? await request.formData().catch(() => undefined)
    : undefined;
  const field = (name: string) => {
    const value = request.nextUrl.searchParams.get(name) ?? form?.get(name);
    return typeof value === 'string' ? value : null;
  };
  // RFC 9700 §4.11: same-origin relative paths only, as at sign-in.
  return {
    returnTo: safeReturnTo(field('returnTo'), SIGNED_OUT_PATH),
    everywhere: field('everywhere') === '1',
  };
}

export async function POST(request: NextRequest) {
  if (!isSameOriginRequest(request)) {
    logEvent('logout_refused', { reason: 'cross_origin' });
    return new NextResponse('Cross-site sign-out refused.', { status: 403 });
  }
  const { returnTo, everywhere } = await requested(request);
  // Sign-out never fails on the store: without it, the cookies still go (endSession logs why).
  const session = await getSession().catch(() => undefined);
  const { idToken, refreshToken, sub } = session ?? {};
  // Store mode: every session of this user ends, on every device and instance.
  const ended = everywhere && sub ? await endAllSessions(sub).catch(() => undefined) : undefined;
  await endSession();
  await revokeRefreshToken(refreshToken);
  logEvent('logout', { sub, everywhere, sessionsEnded: ended });

  const state = oauth.generateRandomState();
  const endSessionAt = idToken ? await endSessionUrl(idToken, state) : undefined;
  // Without the provider, the signed-out page says only what happened here.
  const response = redirectTo(
    endSessionAt ?? (returnTo === SIGNED_OUT_PATH ? SIGNED_OUT_LOCALLY_PATH : returnTo),
  );
  // Remembered until the provider sends the browser back to /auth/logout/callback.
  if (endSessionAt) await writeLogoutState(response.cookies, { state, returnTo });
  else if (config().clearSiteDataOnSignOut)
    response.headers.set(CLEAR_COOKIES.name, CLEAR_COOKIES.value); // nothing of this site stays
  return response;
}
