/**
 * Reading and writing the session from server code (route handlers, Server Components).
 * Every protected page and handler calls one of these: the middleware's check is only a first,
 * optimistic filter.
 */
import { decodeJwt } from 'jose';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { isProviderFailure, providerAnswer } from '../client/errors';
import { needsRefresh, RefreshRejectedError } from '../client/refresh';
import type { TokenSet } from '../client/tokens';
import { logEvent } from '../log';
import { readSessionCookie, SessionTooLargeError } from './chunks';
import { needsTouch, openSession, sealSession } from './cookie';
import {
  remainingLifetimeS,
  setSessionCookies,
  type CookieSession,
  type SessionData,
  type SessionPointer,
} from './options';
import { cookieNames } from '../cookies/jar';
import { sessionStore } from './store';
import { newSessionId, StoreError } from './store/store';
import { refreshOnce } from './refresh-once';
import { loginUrl, refreshUrl, ROUTES } from '../routes';

/** The session cookie's content, if it is a live session (the guard's check, done again here). */
async function openCookie(): Promise<CookieSession | undefined> {
  const jar = await cookies();
  const opened = await openSession(
    readSessionCookie(cookieNames.session(), (name) => jar.get(name)?.value),
  );
  return opened.status === 'valid' ? opened.data : undefined;
}

/**
 * The signed-in session, or undefined (none, tampered, idle, expired, signed out: all "signed
 * out"). In store mode the cookie names a session that must still be in the store: signing out
 * deletes it there, so a copy of the cookie is refused. Throws StoreError when the store cannot
 * answer: never "signed in" because of a store failure.
 */
export async function getSession(): Promise<SessionData | undefined> {
  const data = await openCookie();
  if (!data) return undefined;
  const store = sessionStore();
  if (!store) return data as SessionData; // cookie mode: openSession checked the shape
  const pointer = data as SessionPointer;
  const stored = await store.read(pointer.sid);
  if (!stored || stored.sub !== pointer.sub) return undefined;
  return {
    ...stored,
    sid: pointer.sid,
    createdAt: pointer.createdAt,
    lastSeenAt: pointer.lastSeenAt,
  };
}

/** Writes the session's cookies, or deletes them (route handlers and Server Actions only). */
async function writeSessionCookies(data: CookieSession | undefined): Promise<void> {
  const jar = await cookies();
  const sealed = data && { value: await sealSession(data), data };
  setSessionCookies(
    jar,
    jar.getAll().map((c) => c.name),
    sealed,
  );
}

/**
 * Writes the session (route handlers and Server Actions only): all of it into the cookie, or, in
 * store mode, the tokens into the store and a pointer into the cookie. Throws
 * SessionTooLargeError when a cookie-mode session does not fit its cookie budget
 * (lib/session/chunks.ts), and StoreError when the store cannot take it.
 */
export async function saveSession(data: SessionData): Promise<void> {
  const store = sessionStore();
  if (!store) return writeSessionCookies(data);
  const { sid, createdAt, lastSeenAt, ...tokens } = data;
  if (!sid) throw new Error('a store-mode session has a session id');
  await store.write(
    sid,
    { ...tokens, tokensReceivedAt: tokens.tokensReceivedAt ?? 0 },
    Math.max(1, remainingLifetimeS(createdAt)),
  );
  await writeSessionCookies({ sid, sub: data.sub, createdAt, lastSeenAt });
}

/**
 * Writes the cookie side of the session only: all of it in cookie mode; in store mode the
 * pointer (the activity time lives there). The stored tokens are not written back, so a request
 * that read them before a refresh never restores old ones, and a refresh, which stored its
 * tokens itself (lib/session/refresh-shared.ts), is not written twice.
 */
async function writeSessionCookie(data: SessionData): Promise<void> {
  if (!sessionStore() || !data.sid) return writeSessionCookies(data);
  await writeSessionCookies({
    sid: data.sid,
    sub: data.sub,
    createdAt: data.createdAt,
    lastSeenAt: data.lastSeenAt,
  });
}

/**
 * Creates the session after sign-in. In store mode it gets a new id (whatever this browser held
 * before is deleted from the store: no session fixation, nothing left behind).
 */
export async function startSession(tokens: TokenSet & { sub: string }): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const store = sessionStore();
  if (store) {
    const previous = await openCookie();
    if (previous && 'sid' in previous && typeof previous.sid === 'string')
      await store.remove(previous.sid);
  }
  await saveSession({
    ...tokens,
    createdAt: now,
    lastSeenAt: now,
    ...(store ? { sid: newSessionId(), providerSid: providerSessionId(tokens.idToken) } : {}),
  });
}

/** The ID token's `sid` (OIDC Front-/Back-Channel Logout), if it has one. */
function providerSessionId(idToken: string): string | undefined {
  try {
    const { sid } = decodeJwt(idToken);
    return typeof sid === 'string' && sid ? sid : undefined;
  } catch {
    return undefined;
  }
}

export { StoreError } from './store/store';

/** What a store failure is logged as: its reason, and the connection's code when there is one. */
export function storeFailure(err: unknown): { reason: string; detail?: string } {
  if (!(err instanceof StoreError)) return { reason: 'store_unavailable' };
  return err.detail ? { reason: err.reason, detail: err.detail } : { reason: err.reason };
}

/** Are sessions kept on the server (SESSION_STORE=memory or redis)? */
export function storeMode(): boolean {
  return sessionStore() !== undefined;
}

/**
 * Store mode: true the first time `name` is seen within `ttlMs`, on any instance (replay
 * detection, e.g. a logout token's `jti`).
 */
export async function firstUse(name: string, ttlMs: number): Promise<boolean> {
  const store = sessionStore();
  if (!store) throw new Error('firstUse needs the session store');
  return (await store.acquire(`once:${name}`, ttlMs)) !== undefined;
}

/**
 * Back-channel logout (store mode): ends the sessions the provider named, by its session id
 * (only `sub`'s, if given) or else every session of `sub`. Returns how many ended.
 */
export async function endProviderSessions(named: { sub?: string; sid?: string }): Promise<number> {
  const store = sessionStore();
  if (!store) return 0;
  if (named.sid) return store.removeProviderSession(named.sid, named.sub);
  return named.sub ? store.removeUser(named.sub) : 0;
}

/**
 * Ends this browser's session: deletes its cookies, and in store mode the session itself, so a
 * copy of the cookie is refused everywhere. A store that cannot answer is logged; the cookies go
 * anyway.
 */
export async function endSession(): Promise<void> {
  const store = sessionStore();
  if (store) {
    const current = await openCookie();
    if (current && 'sid' in current && typeof current.sid === 'string') {
      await store.remove(current.sid).catch((err: unknown) => {
        logEvent('session_revoke_failed', { sub: current.sub, ...storeFailure(err) });
      });
    }
  }
  await writeSessionCookies(undefined);
}

/**
 * Sign out everywhere (store mode): deletes every stored session of `sub`, on every device and
 * instance. Returns how many there were. In cookie mode there is nothing to delete on the server.
 */
export async function endAllSessions(sub: string): Promise<number> {
  const store = sessionStore();
  return store ? store.removeUser(sub) : 0;
}

/**
 * For pages (Server Components, which cannot write cookies): the signed-in session, or a
 * redirect to sign in. An access token about to expire goes through /auth/refresh first.
 */
export async function requireSession(returnTo: string): Promise<SessionData> {
  let session: SessionData | undefined;
  try {
    session = await getSession();
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    logEvent('session_store_failed', storeFailure(err));
    redirect(ROUTES.unavailable); // a 503 page (app/auth/unavailable/route.ts)
  }
  if (!session) redirect(loginUrl(returnTo));
  if (needsRefresh(session)) {
    redirect(refreshUrl(returnTo));
  }
  return session;
}

export type FreshSession =
  | { status: 'ok'; session: SessionData }
  | { status: 'signed_out' }
  | { status: 'provider_unavailable' }
  /** The session store cannot answer (store mode): the session is neither trusted nor ended. */
  | { status: 'store_unavailable' };

/**
 * For route handlers: the session with an access token that is valid for a while yet,
 * refreshing it first if needed (once, however many requests ask at the same time). A refused
 * refresh (any 4xx but 429) ends the session; an outage (network, time-out, 5xx, 429) keeps it.
 */
export async function getFreshSession(): Promise<FreshSession> {
  try {
    return await freshSession();
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    logEvent('session_store_failed', storeFailure(err));
    return { status: 'store_unavailable' };
  }
}

async function freshSession(): Promise<FreshSession> {
  const session = await getSession();
  if (!session) return { status: 'signed_out' };
  const now = Math.floor(Date.now() / 1000);
  if (!needsRefresh(session)) {
    // Activity restarts the idle timer; written back at most once a minute, as in the guard.
    if (!needsTouch(session, now)) return { status: 'ok', session };
    const touched = { ...session, lastSeenAt: now };
    await writeSessionCookie(touched);
    return { status: 'ok', session: touched };
  }
  try {
    const tokens = await refreshOnce(session);
    const refreshed = { ...session, ...tokens, lastSeenAt: now };
    await writeSessionCookie(refreshed);
    return { status: 'ok', session: refreshed };
  } catch (err) {
    if (err instanceof StoreError) throw err;
    if (err instanceof SessionTooLargeError) {
      // The refreshed tokens no longer fit: the session cannot go on in cookies.
      logEvent('session_too_large', { sub: session.sub });
      await endSession();
      return { status: 'signed_out' };
    }
    // A bug of ours is not the provider's outage: it goes up as the error it is.
    if (!(err instanceof RefreshRejectedError) && !isProviderFailure(err)) throw err;
    // The provider's HTTP status and OAuth error code are logged, never a token.
    const answer = providerAnswer(err);
    if (err instanceof RefreshRejectedError) {
      logEvent('refresh_rejected', {
        sub: session.sub,
        reason: err.reason,
        status: err.status ?? answer.status,
        error: answer.error,
      });
      await endSession();
      return { status: 'signed_out' };
    }
    logEvent('refresh_failed', {
      sub: session.sub,
      status: answer.status,
      error: answer.error ?? (err as { code?: string }).code ?? 'provider_unreachable',
    });
    return { status: 'provider_unavailable' };
  }
}
