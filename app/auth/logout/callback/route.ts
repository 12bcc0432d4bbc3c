/** GET /auth/logout/callback: the provider's post_logout_redirect_uri. Checks `state`, goes on. */
import type { NextRequest } from 'next/server';
import { decodeLogoutState, LOGOUT_STATE_COOKIE, SIGNED_OUT_PATH } from '@/lib/client/logout';
import { safeReturnTo } from '@/lib/client/return-to';
import { config } from '@/lib/config';
import { logEvent } from '@/lib/log';
import { redirectTo } from '@/lib/origin';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest) {
  const { state, returnTo } = decodeLogoutState(request.cookies.get(LOGOUT_STATE_COOKIE)?.value);
  // RP-Initiated Logout §3: `state` round-trips so we know this redirect answers our request.
  // The local session is already gone either way; a mismatch only loses the returnTo.
  const matches = typeof state === 'string' && state === request.nextUrl.searchParams.get('state');
  // Cognito's logout endpoint returns no `state` at all: nothing to report there.
  if (!matches && config().provider.logout !== 'cognito') logEvent('logout_state_mismatch');
  const target = matches ? safeReturnTo(returnTo, SIGNED_OUT_PATH) : SIGNED_OUT_PATH;
  const response = redirectTo(target);
  response.cookies.set(LOGOUT_STATE_COOKIE, '', {
    httpOnly: true,
    sameSite: 'lax',
    secure: config().production,
    path: '/auth/logout/callback',
    maxAge: 0,
    expires: new Date(0),
  });
  return response;
}
