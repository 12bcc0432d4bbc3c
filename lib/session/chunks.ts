/**
 * The sealed session across cookies. Browsers keep 4,096 bytes of name and value per cookie
 * (RFC 6265 §6.1: "at least 4096 bytes per cookie") and drop a larger cookie without a word;
 * real token sets (Entra ID, Keycloak: 1 to 2.5 KB per token) seal to more than that.
 *
 * A sealed session that fits is one cookie, `<name>`. A larger one is split into `<name>.0`,
 * `<name>.1`, … each within the limit, and joined again on the way in. Every write also deletes
 * the cookies of the other form and any chunk left over from a larger session, so a request never
 * carries two sessions. The whole session is kept to MAX_SESSION_BYTES, so that the `Cookie`
 * header stays well under the 8 KB per header line that proxies commonly allow (nginx's default
 * large_client_header_buffers); a larger session needs the server-side store (SESSION_STORE).
 *
 * Web APIs only: the Edge guard uses it too.
 */

/** Bytes of name + `=` + value a browser keeps per cookie. */
export const MAX_COOKIE_BYTES = 4096;
/** Names and values of all the session's cookies together, at most. */
export const MAX_SESSION_BYTES = 6 * 1024;
/** Chunks of a session at most (two cookies hold MAX_SESSION_BYTES). */
export const MAX_CHUNKS = 2;

/** The sealed session does not fit in the cookie budget (MAX_SESSION_BYTES): use the session store. */
export class SessionTooLargeError extends Error {
  override name = 'SessionTooLargeError';
}

const chunkName = (name: string, index: number) => `${name}.${index}`;

/** Is `cookie` one of the session's cookies: `<name>` or `<name>.<digits>`? */
export function isSessionCookie(name: string, cookie: string): boolean {
  return (
    cookie === name ||
    (cookie.startsWith(`${name}.`) && /^\d{1,2}$/.test(cookie.slice(name.length + 1)))
  );
}

/**
 * The sealed session the request carries: the whole cookie, or its chunks 0, 1, … joined in
 * order (a chunk after a gap is ignored). Undefined when there is none; null when a cookie is
 * over the browser limit or there are more than MAX_CHUNKS chunks, which opens as an invalid
 * session (and its cookies are deleted).
 */
export function readSessionCookie(
  name: string,
  get: (cookie: string) => string | undefined,
): string | undefined | null {
  // No browser stores a cookie over the limit: one that arrives anyway is not ours.
  const fits = (cookie: string, value: string) =>
    cookie.length + 1 + value.length <= MAX_COOKIE_BYTES;
  const whole = get(name);
  if (whole !== undefined) return fits(name, whole) ? whole : null;
  const parts: string[] = [];
  for (let i = 0; i <= MAX_CHUNKS; i++) {
    const part = get(chunkName(name, i));
    if (part === undefined) break;
    if (!fits(chunkName(name, i), part)) return null;
    parts.push(part);
  }
  if (parts.length > MAX_CHUNKS) return null;
  return parts.length ? parts.join('') : undefined;
}

/**
 * The cookies to write for `sealed` (or, undefined, to delete the session), given the names of
 * the cookies the request carries. A value of '' means "delete this cookie".
 */
export function sessionCookieWrites(
  name: string,
  sealed: string | undefined,
  present: readonly string[],
): Array<{ name: string; value: string }> {
  const carried = present.filter((cookie) => isSessionCookie(name, cookie));
  const writes: Array<{ name: string; value: string }> = [];
  if (sealed !== undefined) {
    if (name.length + 1 + sealed.length <= MAX_COOKIE_BYTES) {
      writes.push({ name, value: sealed });
    } else {
      const size = MAX_COOKIE_BYTES - (chunkName(name, MAX_CHUNKS).length + 1);
      const count = Math.ceil(sealed.length / size);
      const total = sealed.length + count * (chunkName(name, 0).length + 1);
      if (count > MAX_CHUNKS || total > MAX_SESSION_BYTES) {
        throw new SessionTooLargeError(
          `the sealed session needs ${total} bytes of cookies; at most ${MAX_SESSION_BYTES} are used`,
        );
      }
      for (let i = 0; i < count; i++)
        writes.push({ name: chunkName(name, i), value: sealed.slice(i * size, (i + 1) * size) });
    }
  }
  // Whatever the request carried and this write does not replace goes.
  for (const cookie of carried)
    if (!writes.some((w) => w.name === cookie)) writes.push({ name: cookie, value: '' });
  // A deletion with nothing carried is still sent for the plain name, as before (idempotent).
  if (sealed === undefined && !carried.includes(name)) writes.push({ name, value: '' });
  return writes;
}
