/** GET /auth/logout/callback: the provider's post_logout_redirect_uri. Checks `state`, goes home. */
import { NextResponse, type NextRequest } from 'next/server';
import { logEvent } from '@/lib/log';
import { LOGOUT_STATE_COOKIE } from '@/lib/client/logout';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest) {
  const expected = request.cookies.get(LOGOUT_STATE_COOKIE)?.value;
  const state = request.nextUrl.searchParams.get('state');
  // RP-Initiated Logout §3: `state` round-trips so we know this redirect answers our request.
  // The local session is already gone either way, so a mismatch is only logged.
  if (!expected || state !== expected) logEvent('logout_state_mismatch');
  const response = NextResponse.redirect(new URL('/?signedOut=1', request.url), 303);
  response.cookies.delete({ name: LOGOUT_STATE_COOKIE, path: '/auth/logout/callback' });
  response.headers.set('Cache-Control', 'no-store');
  return response;
}
