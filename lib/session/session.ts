/**
 * Reading and writing the session from server code (route handlers, Server Components).
 * Every protected page and handler calls one of these: the middleware's check is only a first,
 * optimistic filter.
 */
import { getIronSession, type IronSession } from 'iron-session';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { needsRefresh, refreshTokens, RefreshRejectedError } from '../client/refresh';
import { logEvent } from '../log';
import { isSessionData, sessionOptions, type SessionData } from './options';

export async function getSession(): Promise<IronSession<SessionData>> {
  return getIronSession<SessionData>(await cookies(), sessionOptions());
}

function loginPath(returnTo: string): string {
  return `/auth/login?returnTo=${encodeURIComponent(returnTo)}`;
}

/**
 * For pages (Server Components, which cannot write cookies): the signed-in session, or a
 * redirect to sign in. An access token about to expire goes through /auth/refresh first.
 */
export async function requireSession(returnTo: string): Promise<SessionData> {
  const session = await getSession();
  if (!isSessionData(session)) redirect(loginPath(returnTo));
  if (needsRefresh(session.accessTokenExpiresAt)) {
    redirect(`/auth/refresh?returnTo=${encodeURIComponent(returnTo)}`);
  }
  return session;
}

export type FreshSession =
  | { status: 'ok'; session: SessionData }
  | { status: 'signed_out' }
  | { status: 'provider_unavailable' };

/**
 * For route handlers: the session with an access token that is valid for a while yet,
 * refreshing it first if needed. A refused refresh (`invalid_grant`) ends the session.
 */
export async function getFreshSession(): Promise<FreshSession> {
  const session = await getSession();
  if (!isSessionData(session)) return { status: 'signed_out' };
  if (!needsRefresh(session.accessTokenExpiresAt)) return { status: 'ok', session };
  try {
    const tokens = await refreshTokens(session);
    Object.assign(session, tokens);
    await session.save();
    logEvent('tokens_refreshed', { sub: session.sub });
    return { status: 'ok', session };
  } catch (err) {
    if (err instanceof RefreshRejectedError) {
      logEvent('refresh_rejected', { sub: session.sub });
      session.destroy();
      return { status: 'signed_out' };
    }
    logEvent('refresh_failed', { sub: session.sub, error: (err as Error).name });
    return { status: 'provider_unavailable' };
  }
}

export { loginPath };
