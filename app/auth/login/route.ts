/** GET /auth/login?returnTo=/path: start the Authorization Code + PKCE flow. */
import { NextResponse, type NextRequest } from 'next/server';
import { LoginError } from '@/lib/client/errors';
import { startLogin } from '@/lib/client/login';
import { safeReturnTo } from '@/lib/client/return-to';
import { writeTransaction } from '@/lib/client/transaction';
import { recordAuthorizationRequest } from '@/lib/flow/record';
import { onConfiguredHost, redirectTo } from '@/lib/origin';
import { loginFailed } from '../responses';
import { ROUTES } from '@/lib/routes';

export const dynamic = 'force-dynamic';

/** Link prefetching (Next, Chromium speculation rules) must not start a login. */
function isPrefetch(request: NextRequest): boolean {
  const purpose = `${request.headers.get('sec-purpose') ?? ''} ${request.headers.get('purpose') ?? ''}`;
  return /prefetch|prerender/i.test(purpose) || request.headers.has('next-router-prefetch');
}

export async function GET(request: NextRequest) {
  if (isPrefetch(request)) {
    return new NextResponse(null, { status: 204 });
  }
  if (!onConfiguredHost(request)) {
    // Reached on another host (the deployment's own URL, 127.0.0.1): a transaction cookie set
    // here would never reach the registered redirect URI. Move to the configured origin first,
    // before any cookie. 307 keeps the method; the query goes along unchanged.
    return redirectTo(`${ROUTES.login}${request.nextUrl.search}`, 307);
  }
  const returnTo = safeReturnTo(request.nextUrl.searchParams.get('returnTo'));
  try {
    const { authorizationUrl, transaction } = await startLogin(returnTo);
    const response = redirectTo(authorizationUrl);
    await writeTransaction(response.cookies, request.cookies, transaction);
    recordAuthorizationRequest(transaction.state, authorizationUrl); // for the flow inspector (/flow)
    return response;
  } catch (cause) {
    return loginFailed(new LoginError('provider_unavailable', { cause }));
  }
}
