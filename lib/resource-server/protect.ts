/**
 * Wraps an `/api` route handler: a valid access token with the route's scopes, or an RFC 6750
 * error. It reads the Authorization header only: never a cookie, never the query string.
 */
import { logEvent } from '../log';
import { type AccessToken, InvalidTokenError, verifyAccessToken } from './access-token';
import { readBearer } from './bearer';
import { bearerError } from './errors';

export interface RouteRule {
  /** All of these scopes are required (RFC 6750 §3.1 insufficient_scope otherwise). */
  scopes: readonly string[];
  /** Who may call: users (code flow), machines (client credentials), or both. */
  callers: ReadonlyArray<AccessToken['kind']>;
}

type Handler = (request: Request, token: AccessToken) => Promise<Response> | Response;

function reject(reason: string, response: Response): Response {
  logEvent('api_rejected', { reason });
  return response;
}

export function protect(rule: RouteRule, handler: Handler) {
  return async (request: Request): Promise<Response> => {
    const credential = readBearer(request);
    if ('missing' in credential) return reject('missing_token', bearerError(undefined));
    if ('malformed' in credential) {
      return reject('malformed', bearerError('invalid_token', 'The access token is malformed.'));
    }

    let token: AccessToken;
    try {
      token = await verifyAccessToken(credential.token);
    } catch (err) {
      if (err instanceof InvalidTokenError) {
        return reject(err.reason, bearerError('invalid_token', 'The access token is invalid.'));
      }
      logEvent('api_unavailable', { error: (err as Error).name });
      return Response.json(
        { error: 'temporarily_unavailable', error_description: 'The token issuer cannot be reached.' },
        { status: 503, headers: { 'Cache-Control': 'no-store', 'Retry-After': '5' } },
      );
    }

    if (!rule.callers.includes(token.kind)) {
      return reject('wrong_caller', bearerError('insufficient_scope', `This endpoint is not for ${token.kind} tokens.`, rule.scopes));
    }
    const missing = rule.scopes.filter((s) => !token.scopes.has(s));
    if (missing.length) {
      return reject('insufficient_scope', bearerError('insufficient_scope', 'The access token lacks a required scope.', rule.scopes));
    }
    return handler(request, token);
  };
}
