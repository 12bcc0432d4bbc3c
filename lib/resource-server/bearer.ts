/**
 * RFC 6750 §2: how the access token arrives. This API accepts exactly one credential, in the
 * `Authorization: Bearer` header (§2.1). The query string (§2.3) and form body (§2.2) methods
 * are refused, as RFC 6750 §5.3 and RFC 9700 §4.3.2 advise, and so is a cookie.
 */

/** RFC 6750 §2.1 b64token. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** Refused before any parsing. A JWT access token from the local IdP is about 900 bytes. */
export const MAX_TOKEN_BYTES = 8 * 1024;
const MAX_FORM_BYTES = 64 * 1024;

export type Credential =
  | { kind: 'token'; token: string }
  /** No credential at all: RFC 6750 §3.1 says answer with a bare challenge, no error code. */
  | { kind: 'none'; reason: 'missing_token' | 'cookie_instead_of_token' | 'other_scheme' }
  /** A malformed request (§3.1 invalid_request, 400). */
  | {
      kind: 'invalid_request';
      reason:
        | 'token_in_query'
        | 'token_in_body'
        | 'multiple_credentials'
        | 'empty_token'
        | 'malformed_header';
    }
  | { kind: 'too_large'; reason: 'token_too_large' };

async function formBodyHasToken(request: Request): Promise<boolean> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded') || !request.body)
    return false;
  // Read at most MAX_FORM_BYTES of a copy, so the handler can still read the body.
  const reader = request.clone().body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_FORM_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    return false;
  } finally {
    reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(Math.min(size, MAX_FORM_BYTES));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  const body = new TextDecoder().decode(bytes);
  return new URLSearchParams(body).has('access_token');
}

export async function readCredential(request: Request): Promise<Credential> {
  const header = request.headers.get('authorization');

  // RFC 6750 §2.3 / §2: the query method is not supported here, and never alongside another.
  if (new URL(request.url).searchParams.has('access_token'))
    return { kind: 'invalid_request', reason: 'token_in_query' };
  // RFC 6750 §2.2: nor the form body method.
  if (await formBodyHasToken(request)) return { kind: 'invalid_request', reason: 'token_in_body' };

  if (header === null) {
    return {
      kind: 'none',
      reason: request.headers.has('cookie') ? 'cookie_instead_of_token' : 'missing_token',
    };
  }
  if (header.length > MAX_TOKEN_BYTES + 16) return { kind: 'too_large', reason: 'token_too_large' };

  const [scheme = '', ...rest] = header.trim().split(/[ \t]+/);
  // RFC 7235 §2.1: the scheme is case-insensitive. Another scheme is no bearer credential.
  if (scheme.toLowerCase() !== 'bearer') return { kind: 'none', reason: 'other_scheme' };

  // RFC 6750 §2: one credential, once. A b64token has no comma, so a comma means several:
  // "Bearer a, Bearer b" in one header, or several headers joined by a Fetch `Headers` (Edge,
  // proxies that merge). Node's HTTP server (`next start`) keeps only the first Authorization
  // header of a request and drops the others before the app sees them.
  if (header.includes(',')) return { kind: 'invalid_request', reason: 'multiple_credentials' };
  if (rest.length === 0 || rest[0] === '')
    return { kind: 'invalid_request', reason: 'empty_token' };
  if (rest.length > 1) return { kind: 'invalid_request', reason: 'multiple_credentials' };
  const token = rest[0]!;
  if (!B64TOKEN.test(token)) return { kind: 'invalid_request', reason: 'malformed_header' };
  return { kind: 'token', token };
}
