/**
 * Where to send the user after sign-in. Only a same-origin relative path is accepted; anything
 * else (another origin, a protocol-relative `//host`, `/\host`, a scheme) falls back to "/".
 * This is the open-redirect defence of RFC 9700 §4.11.
 */
export function safeReturnTo(value: string | null | undefined, fallback = '/'): string {
  if (!value || value.length > 2048) return fallback;
  // Reject before parsing: browsers treat "\" as "/" and ignore tabs and newlines in URLs.
  if (!value.startsWith('/') || value.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(value)) {
    return fallback;
  }
  const base = 'http://return-to.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Check the result too: dot segments ("/..//evil") can normalise into "//evil".
  if (path.startsWith('//') || path.startsWith('/\\')) return fallback;
  return path;
}
