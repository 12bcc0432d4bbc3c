/**
 * Store mode: one refresh per refresh token across every instance of the app.
 *
 * With refresh-token rotation and reuse detection (RFC 9700 §4.14.2), two instances refreshing
 * the same refresh token make the provider revoke the whole grant, and the user is signed out at
 * random. So the instance that takes the lock (in the shared store, keyed by a hash of the
 * refresh token) refreshes, and writes the new tokens into the session store before it lets go;
 * every other instance waits and reads them from there. The tokens are read from the store after
 * the lock is taken, so no instance ever refreshes with a refresh token that was rotated out, and
 * no cookie carries one (in store mode the cookie holds no token).
 */
import { refreshTokens, RefreshRejectedError } from '../client/refresh';
import type { TokenSet } from '../client/tokens';
import { sha256Hex } from '../sha256';
import type { SessionData } from './options';
import { StoreError, type SessionStore, type StoredSession } from './store/store';

/** Longer than a refresh can take (the provider's 8 s limit): a crashed holder's lock expires. */
export const REFRESH_LOCK_TTL_MS = 15_000;
/** How long a waiting instance waits for the holder's result. */
export const REFRESH_WAIT_MS = 12_000;
const POLL_MS = 50;

function tokensOf(stored: StoredSession): TokenSet {
  const { idToken, accessToken, accessTokenExpiresAt, tokensReceivedAt, scope, refreshToken } =
    stored;
  return { idToken, accessToken, accessTokenExpiresAt, tokensReceivedAt, scope, refreshToken };
}

/** Did the stored session change since `session` was read (refreshed by someone else)? */
const refreshedSince = (stored: StoredSession, session: SessionData) =>
  stored.refreshToken !== session.refreshToken || stored.accessToken !== session.accessToken;

export async function refreshAcrossInstances(
  session: SessionData & { sid: string },
  store: SessionStore,
  ttlS: number,
): Promise<TokenSet> {
  const lock = `refresh:${await sha256Hex(session.refreshToken ?? session.sid)}`;
  const deadline = Date.now() + REFRESH_WAIT_MS;
  for (;;) {
    const held = await store.acquire(lock, REFRESH_LOCK_TTL_MS);
    if (held) {
      try {
        const current = await store.read(session.sid);
        if (!current) throw new RefreshRejectedError('session_ended');
        if (refreshedSince(current, session)) return tokensOf(current); // done just before we took the lock
        const tokens = await refreshTokens(session);
        await store.write(session.sid, { ...tokens, sub: session.sub }, ttlS);
        return tokens;
      } finally {
        await store.release(lock, held).catch(() => undefined); // it expires anyway
      }
    }
    // Another instance (or request) is refreshing: its result lands in the store.
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const current = await store.read(session.sid);
    if (!current) throw new RefreshRejectedError('session_ended'); // its refresh was refused
    if (refreshedSince(current, session)) return tokensOf(current);
    if (Date.now() > deadline) throw new StoreError('store_timeout');
  }
}
