/**
 * Reading and writing the session from server code (route handlers, Server Components).
 * Every protected page and handler calls one of these: the middleware's check is only a first,
 * optimistic filter.
 */
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { providerAnswer } from '../client/errors';
import { needsRefresh, RefreshRejectedError } from '../client/refresh';
import type { TokenSet } from '../client/tokens';
import { logEvent } from '../log';
import { readSessionCookie, SessionTooLargeError, sessionCookieWrites } from './chunks';
import { needsTouch, openSession, sealSession } from './cookie';
import { deletedSessionCookieOptions, sessionCookieName, sessionCookieOptions, type SessionData } from './options';
import { refreshOnce } from './refresh-once';

/** The signed-in session, or undefined (none, tampered, idle, expired: all "signed out"). */
export async function getSession(): Promise<SessionData | undefined> {
  const jar = await cookies();
  const opened = await openSession(readSessionCookie(sessionCookieName(), (name) => jar.get(name)?.value));
  return opened.status === 'valid' ? opened.data : undefined;
}

/** Writes the session's cookies, or deletes them (route handlers and Server Actions only). */
async function writeSessionCookies(data: SessionData | undefined): Promise<void> {
  const jar = await cookies();
  const sealed = data && (await sealSession(data));
  const present = jar.getAll().map((c) => c.name);
  for (const write of sessionCookieWrites(sessionCookieName(), sealed, present)) {
    jar.set(write.name, write.value, write.value && data ? sessionCookieOptions(data) : deletedSessionCookieOptions());
  }
}

/**
 * Writes the session (route handlers and Server Actions only). Throws SessionTooLargeError when
 * the sealed session does not fit in the cookies a browser and Node will carry.
 */
export async function saveSession(data: SessionData): Promise<void> {
  await writeSessionCookies(data);
}

/** Creates the session after sign-in. */
export async function startSession(tokens: TokenSet & { sub: string }): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  await saveSession({ ...tokens, createdAt: now, lastSeenAt: now });
}

export async function endSession(): Promise<void> {
  await writeSessionCookies(undefined);
}

export function loginPath(returnTo: string): string {
  return `/auth/login?returnTo=${encodeURIComponent(returnTo)}`;
}

/**
 * For pages (Server Components, which cannot write cookies): the signed-in session, or a
 * redirect to sign in. An access token about to expire goes through /auth/refresh first.
 */
export async function requireSession(returnTo: string): Promise<SessionData> {
  const session = await getSession();
  if (!session) redirect(loginPath(returnTo));
  if (needsRefresh(session)) {
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
 * refreshing it first if needed (once, however many requests ask at the same time). A refused
 * refresh (any 4xx but 429) ends the session; an outage (network, time-out, 5xx, 429) keeps it.
 */
export async function getFreshSession(): Promise<FreshSession> {
  const session = await getSession();
  if (!session) return { status: 'signed_out' };
  const now = Math.floor(Date.now() / 1000);
  if (!needsRefresh(session)) {
    // Activity restarts the idle timer; written back at most once a minute, as in the guard.
    if (!needsTouch(session, now)) return { status: 'ok', session };
    const touched = { ...session, lastSeenAt: now };
    await saveSession(touched);
    return { status: 'ok', session: touched };
  }
  try {
    const tokens = await refreshOnce(session);
    const refreshed = { ...session, ...tokens, lastSeenAt: now };
    await saveSession(refreshed);
    return { status: 'ok', session: refreshed };
  } catch (err) {
    if (err instanceof SessionTooLargeError) {
      // The refreshed tokens no longer fit: the session cannot go on in cookies.
      logEvent('session_too_large', { sub: session.sub });
      await endSession();
      return { status: 'signed_out' };
    }
    // The provider's HTTP status and OAuth error code are logged, never a token.
    const answer = providerAnswer(err);
    if (err instanceof RefreshRejectedError) {
      logEvent('refresh_rejected', { sub: session.sub, reason: err.message, status: err.status ?? answer.status, error: answer.error });
      await endSession();
      return { status: 'signed_out' };
    }
    logEvent('refresh_failed', { sub: session.sub, status: answer.status, error: answer.error ?? (err as { code?: string }).code ?? 'provider_unreachable' });
    return { status: 'provider_unavailable' };
  }
}
