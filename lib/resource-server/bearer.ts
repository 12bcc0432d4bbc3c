/** RFC 6750 §2.1: the access token comes from the Authorization header, and only from there. */

/** RFC 6750 §2.1 b64token. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export type BearerCredential = { token: string } | { missing: true } | { malformed: true };

export function readBearer(request: Request): BearerCredential {
  const header = request.headers.get('authorization');
  if (header === null) return { missing: true };
  const [scheme = '', ...rest] = header.trim().split(/[ \t]+/);
  // RFC 7235 §2.1: the scheme is case-insensitive. Any other scheme is not a bearer credential.
  if (scheme.toLowerCase() !== 'bearer') return { missing: true };
  // Exactly one b64token after the scheme: "Bearer", "Bearer a b" and "Bearer a$b" are malformed.
  const token = rest.length === 1 ? rest[0]! : '';
  if (!B64TOKEN.test(token)) return { malformed: true };
  return { token };
}
