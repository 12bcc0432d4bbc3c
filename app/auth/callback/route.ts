/** GET /auth/callback: finish the login, create the session, go back to `returnTo`. */
import type { NextRequest, NextResponse } from 'next/server';
import { completeLogin } from '@/lib/client/callback';
import { traceSignIn } from '@/lib/client/flow-trace';
import { LoginError } from '@/lib/client/errors';
import {
  deleteAllTransactions,
  deleteTransaction,
  readTransaction,
} from '@/lib/client/transaction';
import { logEvent } from '@/lib/log';
import { appUrl, redirectTo } from '@/lib/origin';
import { SessionTooLargeError } from '@/lib/session/chunks';
import { startSession } from '@/lib/session/session';
import { loginFailed } from '../responses';
import { ROUTES } from '@/lib/routes';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest) {
  const state = request.nextUrl.searchParams.get('state');
  const { response, ok } = await finish(request, state);
  // A transaction is used once, whatever the outcome. On success only this login's cookie goes
  // (another tab may be signing in); on failure every pending one does.
  if (ok) deleteTransaction(response.cookies, state);
  else deleteAllTransactions(response.cookies, request.cookies);
  return response;
}

async function finish(
  request: NextRequest,
  state: string | null,
): Promise<{ response: NextResponse; ok: boolean }> {
  const tx = await readTransaction(request.cookies, state);
  if (!tx) return { response: loginFailed(new LoginError('missing_transaction')), ok: false };

  // The authorization response's parameters, on the configured redirect URI (not the Host).
  const callbackUrl = appUrl(`${ROUTES.callback}${request.nextUrl.search}`);
  let tokens;
  try {
    tokens = await completeLogin(callbackUrl, tx);
  } catch (err) {
    // Every failure completeLogin foresees is a LoginError; anything else is a bug of ours.
    const error =
      err instanceof LoginError ? err : new LoginError('internal_error', { cause: err });
    return { response: loginFailed(error), ok: false };
  }

  // A new session replaces whatever this browser had (no fixation of an older session).
  try {
    await startSession(tokens);
  } catch (err) {
    if (!(err instanceof SessionTooLargeError)) throw err;
    return {
      response: loginFailed(new LoginError('session_too_large', { cause: err })),
      ok: false,
    };
  }
  logEvent('login_succeeded', { sub: tokens.sub });
  // For the flow inspector (/flow): what each step saw. Never in the way of the sign-in.
  await traceSignIn(request.nextUrl.searchParams, tx, tokens).catch(() => undefined);

  // tx.returnTo passed safeReturnTo at /auth/login: a same-origin relative path.
  return { response: redirectTo(tx.returnTo), ok: true };
}
