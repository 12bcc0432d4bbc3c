/**
 * Sealing and opening the session cookie, with its lifetimes. Web APIs only: the Edge guard uses
 * it too. The sealing, and secret rotation, are lib/cookies/seal.ts's.
 */
import { config } from '../config';
import { seal, unseal } from '../cookies/seal';
import { MAX_SESSION_BYTES } from './chunks';
import { recallOpened, rememberOpened } from './opened-cache';
import type { CookieSession, SessionData, SessionPointer } from './options';

/** An iron seal as iron-session 9 writes it: `Fe26.2*…*…~2` (its token format version 2). */
const IRON_SEAL = /^Fe26\.2\*[^~]+~2$/;

export type OpenResult =
  { status: 'valid'; data: CookieSession } | { status: 'none' | 'invalid' | 'idle' | 'expired' };

export function isSessionPointer(value: Partial<SessionPointer>): value is SessionPointer {
  return (
    typeof value.sid === 'string' &&
    value.sid.length >= 32 &&
    typeof value.sub === 'string' &&
    typeof value.createdAt === 'number' &&
    typeof value.lastSeenAt === 'number'
  );
}

export function isSessionData(value: Partial<SessionData>): value is SessionData {
  return (
    typeof value.sub === 'string' &&
    typeof value.idToken === 'string' &&
    typeof value.accessToken === 'string' &&
    typeof value.accessTokenExpiresAt === 'number' &&
    typeof value.createdAt === 'number' &&
    typeof value.lastSeenAt === 'number'
  );
}

/**
 * Opens a sealed session (lib/session/chunks.ts joins its cookies; null is a malformed set of
 * chunks). Anything but a live, well-formed session is "not signed in".
 */
export async function openSession(
  value: string | undefined | null,
  now = Math.floor(Date.now() / 1000),
): Promise<OpenResult> {
  if (value === null) return { status: 'invalid' };
  if (!value) return { status: 'none' };
  // Larger values are not even unsealed. iron-session ignores anything after the seal's `~2`
  // version suffix, so the whole value must be exactly a seal: nothing rides along.
  if (value.length > MAX_SESSION_BYTES || !IRON_SEAL.test(value)) return { status: 'invalid' };
  const { sessionMaxAgeS, sessionIdleTimeoutS } = config();
  let session = recallOpened<CookieSession>(value);
  if (!session) {
    // unsealData returns {} for a tampered, foreign, expired or unknown-secret seal.
    const data = await unseal<SessionData & SessionPointer>(value, sessionMaxAgeS);
    // The shape of the session mode in effect: a whole session in cookie mode, a pointer to the
    // server-side session in store mode. A cookie of the other mode is not a session here.
    const storeMode = config().sessionStore.kind !== 'cookie';
    session = storeMode
      ? isSessionPointer(data) && !('accessToken' in data)
        ? data
        : undefined
      : isSessionData(data) && !('sid' in data)
        ? data
        : undefined;
    if (!session) return { status: 'invalid' };
    // Only a value that opened into a well-formed session is remembered (lib/session/opened-cache.ts).
    rememberOpened(value, session);
  }
  // The lifetimes, on every request, remembered or not.
  if (now - session.createdAt >= sessionMaxAgeS) return { status: 'expired' };
  if (now - session.lastSeenAt >= sessionIdleTimeoutS) return { status: 'idle' };
  return { status: 'valid', data: session };
}

export async function sealSession(data: CookieSession): Promise<string> {
  return seal(data, config().sessionMaxAgeS);
}

/** Activity older than this is written back (lastSeenAt), so the idle timer restarts. */
export const TOUCH_INTERVAL_S = 60;

export function needsTouch(
  data: Pick<SessionData, 'lastSeenAt'>,
  now = Math.floor(Date.now() / 1000),
): boolean {
  return now - data.lastSeenAt >= TOUCH_INTERVAL_S;
}
