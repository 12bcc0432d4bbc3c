/** GET /auth/logout/callback: the provider's post_logout_redirect_uri. Checks `state`, goes on. */
import type { NextRequest } from 'next/server';
import {
  CLEAR_COOKIES,
  deleteLogoutState,
  readLogoutState,
  SIGNED_OUT_PATH,
} from '@/lib/client/logout';
import { safeReturnTo } from '@/lib/client/return-to';
import { config } from '@/lib/config';
import { logEvent } from '@/lib/log';
import { redirectTo } from '@/lib/origin';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest) {
  const { state, returnTo } = await readLogoutState(request.cookies);
  // RP-Initiated Logout §3: `state` round-trips so we know this redirect answers our request.
  // The local session is already gone either way; a mismatch only loses the returnTo.
  const matches = typeof state === 'string' && state === request.nextUrl.searchParams.get('state');
  // Cognito's logout endpoint returns no `state` at all: nothing to report there.
  if (!matches && config().provider.logout !== 'cognito') logEvent('logout_state_mismatch');
  const target = matches ? safeReturnTo(returnTo, SIGNED_OUT_PATH) : SIGNED_OUT_PATH;
  const response = redirectTo(target);
  deleteLogoutState(response.cookies);
  // The sign-out is over: nothing of this site stays in the browser.
  if (config().clearSiteDataOnSignOut)
    response.headers.set(CLEAR_COOKIES.name, CLEAR_COOKIES.value);
  return response;
}
