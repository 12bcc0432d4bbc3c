/** GET /auth/callback: finish the login, create the session, go back to `returnTo`. */
import { NextResponse, type NextRequest } from 'next/server';
import { completeLogin } from '@/lib/client/callback';
import { LoginError } from '@/lib/client/errors';
import { clearAllTransactions, clearTransaction, openTransaction } from '@/lib/client/transaction';
import { logEvent } from '@/lib/log';
import { SessionTooLargeError } from '@/lib/session/chunks';
import { startSession } from '@/lib/session/session';
import { loginFailed } from '../responses';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest) {
  const state = request.nextUrl.searchParams.get('state');
  const { response, ok } = await finish(request, state);
  // A transaction is used once, whatever the outcome. On success only this login's cookie goes
  // (another tab may be signing in); on failure every pending one does.
  const cleared = ok ? [clearTransaction(state)!] : clearAllTransactions(request.cookies.getAll().map((c) => c.name));
  for (const c of cleared) response.cookies.set(c.name, c.value, c.options);
  response.headers.set('Cache-Control', 'no-store');
  return response;
}

async function finish(request: NextRequest, state: string | null): Promise<{ response: NextResponse; ok: boolean }> {
  const tx = await openTransaction(state, (name) => request.cookies.get(name)?.value);
  if (!tx) return { response: loginFailed(request, new LoginError('missing_transaction')), ok: false };

  let tokens;
  try {
    tokens = await completeLogin(new URL(request.url), tx);
  } catch (err) {
    const error = err instanceof LoginError ? err : new LoginError('token_request_failed', { cause: err });
    return { response: loginFailed(request, error), ok: false };
  }

  // A new session replaces whatever this browser had (no fixation of an older session).
  try {
    await startSession(tokens);
  } catch (err) {
    if (!(err instanceof SessionTooLargeError)) throw err;
    return { response: loginFailed(request, new LoginError('session_too_large', { cause: err })), ok: false };
  }
  logEvent('login_succeeded', { sub: tokens.sub });

  // tx.returnTo passed safeReturnTo at /auth/login: a same-origin relative path.
  return { response: NextResponse.redirect(new URL(tx.returnTo, request.url), 303), ok: true };
}
