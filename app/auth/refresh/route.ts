/**
 * GET /auth/refresh?returnTo=/path: pages (Server Components) cannot write cookies, so a page
 * whose access token is about to expire sends the browser here to refresh it, then back.
 */
import type { NextRequest } from 'next/server';
import { safeReturnTo } from '@/lib/client/return-to';
import { redirectTo } from '@/lib/origin';
import { getFreshSession } from '@/lib/session/session';
import { errorUrl, loginUrl, ROUTES } from '@/lib/routes';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest) {
  const returnTo = safeReturnTo(request.nextUrl.searchParams.get('returnTo'));
  const fresh = await getFreshSession();
  const target =
    fresh.status === 'ok'
      ? returnTo
      : fresh.status === 'signed_out'
        ? loginUrl(returnTo)
        : fresh.status === 'store_unavailable'
          ? ROUTES.unavailable
          : errorUrl('provider_unavailable');
  return redirectTo(target);
}
