/**
 * One refresh per refresh token, however many requests need it at once.
 *
 * With refresh-token rotation and reuse detection (RFC 9700 §4.14.2), a second refresh with the
 * same refresh token revokes the whole grant. Parallel requests from one browser all carry the
 * same (old) cookie, so they must share one refresh: the first starts it, the others await the
 * same promise, and requests that still carry the old cookie shortly after reuse its result.
 *
 * This is per server process. In store mode, the refresh is also shared with every other instance
 * through the store (lib/session/refresh-shared.ts); in cookie mode, several instances need
 * session affinity; see docs/sessions.md.
 */
import { refreshTokens } from '../client/refresh';
import type { TokenSet } from '../client/tokens';
import { recordRefresh } from '../flow/record';
import { logEvent } from '../log';
import { sha256Hex } from '../sha256';
import { remainingLifetimeS, type SessionData } from './options';
import { refreshAcrossInstances } from './refresh-shared';
import { sessionStore } from './store';

/** How long a refresh result is reused for requests still carrying the old refresh token. */
const REUSE_WINDOW_MS = 60_000;
const inflight = new Map<string, { result: Promise<TokenSet>; startedAt: number }>();

export async function refreshOnce(session: SessionData): Promise<TokenSet> {
  if (!session.refreshToken) return refreshTokens(session); // throws RefreshRejectedError
  const key = await sha256Hex(session.refreshToken);
  const now = Date.now();
  for (const [k, v] of inflight) if (now - v.startedAt > REUSE_WINDOW_MS) inflight.delete(k);

  const existing = inflight.get(key);
  if (existing) return existing.result;
  // Store mode: shared with every instance through the store (lib/session/refresh-shared.ts).
  const store = sessionStore();
  const result =
    store && session.sid
      ? refreshAcrossInstances(
          { ...session, sid: session.sid },
          store,
          Math.max(1, remainingLifetimeS(session.createdAt)),
        )
      : refreshTokens(session);
  inflight.set(key, { result, startedAt: now });
  result.then(
    (tokens) => {
      logEvent('tokens_refreshed', { sub: session.sub });
      // The flow inspector's record (/flow): once per refresh this process made or shared.
      recordRefresh(session, tokens, {
        at: Date.now(),
        expiresIn: tokens.accessTokenExpiresAt - tokens.tokensReceivedAt,
        rotated: tokens.refreshToken !== undefined && tokens.refreshToken !== session.refreshToken,
      });
    },
    () => inflight.delete(key), // a failure is not reused: the next request may try again
  );
  return result;
}
