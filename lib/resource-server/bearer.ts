/** RFC 6750 §2.1: the access token comes from the Authorization header, and only from there. */

/** RFC 6750 §2.1 b64token. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export type BearerCredential = { token: string } | { missing: true } | { malformed: true };

export function readBearer(request: Request): BearerCredential {
  const header = request.headers.get('authorization');
  if (header === null) return { missing: true };
  const match = /^(\S+) +(\S*)$/.exec(header.trim());
  // RFC 7235 §2.1: the scheme is case-insensitive. Any other scheme is not a bearer credential.
  if (!match || match[1]!.toLowerCase() !== 'bearer') return { missing: true };
  const token = match[2]!;
  if (!token || !B64TOKEN.test(token)) return { malformed: true };
  return { token };
}
