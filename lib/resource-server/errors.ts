/**
 * RFC 6750 §3 error responses. The JSON body carries the same error code as the
 * WWW-Authenticate header, and nothing about the token itself.
 */
export const REALM = 'api';

export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** RFC 7230 quoted-string; control characters (which Headers refuses) are dropped. */
function quote(value: string): string {
  const printable = value.replace(/[\u0000-\u001f\u007f]/g, '');
  return `"${printable.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/**
 * RFC 6750 §3.1 codes and statuses: invalid_request 400, invalid_token 401,
 * insufficient_scope 403. Without a code (no credentials at all, §3.1) a bare challenge, 401.
 */
export function bearerError(
  error: BearerErrorCode | undefined,
  description?: string,
  scope?: readonly string[],
): Response {
  const status = error === 'invalid_request' ? 400 : error === 'insufficient_scope' ? 403 : 401;
  const params = [`realm=${quote(REALM)}`];
  if (error) params.push(`error=${quote(error)}`);
  if (error && description) params.push(`error_description=${quote(description)}`);
  if (scope?.length) params.push(`scope=${quote(scope.join(' '))}`);
  const body = error
    ? { error, error_description: description, ...(scope?.length ? { scope: scope.join(' ') } : {}) }
    : { error: 'unauthorized', error_description: 'A bearer access token is required.' };
  return Response.json(body, {
    status,
    headers: { ...NO_STORE, 'WWW-Authenticate': `Bearer ${params.join(', ')}` },
  });
}

export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: NO_STORE });
}
