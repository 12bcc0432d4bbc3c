/**
 * Recently opened session cookies, per process: unsealing (HMAC-SHA-256 and AES-256-CBC through
 * iron-session) is the costliest step of a page request, and a browser sends the same sealed
 * value many times between two writes. Keyed by the exact sealed value: only a value that did
 * unseal, with this process's secrets, into a well-formed session is remembered. What is
 * remembered is what the seal holds; the lifetimes (absolute, idle) are checked again on every
 * request by the caller, and in store mode the store is still asked on every server-side read.
 * Bounded in entries and in time. Web APIs only: the Edge guard uses it too.
 */
const MAX_ENTRIES = 500;
const MAX_AGE_MS = 5 * 60_000;

const opened = new Map<string, { data: object; at: number }>();

export function recallOpened<T extends object>(sealed: string, now = Date.now()): T | undefined {
  const hit = opened.get(sealed);
  if (!hit) return undefined;
  if (now - hit.at > MAX_AGE_MS) {
    opened.delete(sealed);
    return undefined;
  }
  return { ...hit.data } as T; // a copy: callers build new sessions from it
}

export function rememberOpened(sealed: string, data: object, now = Date.now()): void {
  opened.delete(sealed);
  opened.set(sealed, { data: { ...data }, at: now });
  while (opened.size > MAX_ENTRIES) opened.delete(opened.keys().next().value as string);
}

/** For tests: how many are remembered. */
export function openedCacheSize(): number {
  return opened.size;
}
