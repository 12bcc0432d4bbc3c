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
    ? {
        error,
        error_description: description,
        ...(scope?.length ? { scope: scope.join(' ') } : {}),
      }
    : { error: 'unauthorized', error_description: 'A bearer access token is required.' };
  return Response.json(body, {
    status,
    headers: { ...NO_STORE, 'WWW-Authenticate': `Bearer ${params.join(', ')}` },
  });
}

export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: NO_STORE });
}

/**
 * RFC 9110 §15.5.6: a method this endpoint does not serve, with `Allow` naming the ones it does,
 * and the same JSON error shape as every other /api answer (instead of Next's empty 405).
 */
export function methodNotAllowed(allowed: readonly string[]): (request: Request) => Response {
  const allow = [
    ...new Set([...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), 'OPTIONS']),
  ].join(', ');
  return (request) =>
    Response.json(
      {
        error: 'method_not_allowed',
        error_description: `${request.method} is not served here; use ${allowed.join(' or ')}.`,
      },
      { status: 405, headers: { ...NO_STORE, Allow: allow } },
    );
}

/** An /api path with no endpoint: the JSON error shape, not Next's HTML 404 page. */
export function notFound(): Response {
  return Response.json(
    { error: 'not_found', error_description: 'There is no API endpoint at this path.' },
    { status: 404, headers: NO_STORE },
  );
}
