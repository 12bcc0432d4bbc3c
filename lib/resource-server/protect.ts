/**
 * Wraps an `/api` route handler: a valid access token with the route's scopes, from an allowed
 * kind of caller, or an RFC 6750 error. It reads the Authorization header only: never a
 * cookie, never the query string or the body. Every refusal is logged once, with a reason code,
 * and counted; the token itself is never logged.
 */
import { resourceServerConfig } from '../config';
import { apiGate } from '../deployment-setup';
import { logEvent } from '../log';
import { rateLimited, tooManyRequests } from '../rate-limit/responses';
import { InvalidTokenError, type AccessToken } from './access-token';
import { readCredential } from './bearer';
import { bearerError, json } from './errors';
import { IntrospectionBusyError } from './introspection';
import { JwksUnavailableError } from './jwks';
import { countRejection, type ApiRejection } from './metrics';
import { resourceServer, type ResourceServer } from './resource-server';

export interface RouteRule {
  /** All of these scopes are required (RFC 6750 §3.1 insufficient_scope otherwise). */
  scopes: readonly string[];
  /** Who may call: users (code flow), machines (client credentials), or both. */
  callers: ReadonlyArray<AccessToken['kind']>;
}

type Handler = (request: Request, token: AccessToken) => Promise<Response> | Response;

/** Refuses a request: one log line, one count, the response. */
export function reject(reason: ApiRejection, response: Response): Response {
  countRejection(reason);
  logEvent('api_rejected', { reason, status: response.status });
  return response;
}

const INVALID_REQUEST_TEXT: Record<string, string> = {
  token_in_query: 'Send the access token in the Authorization header, not the query string.',
  token_in_body: 'Send the access token in the Authorization header, not the request body.',
  multiple_credentials: 'Send exactly one credential.',
  empty_token: 'The Bearer credential is empty.',
  malformed_header: 'The Authorization header is malformed.',
};

/** A name for the log that survives minification (class names do not). */
function errorCode(err: unknown): string {
  if (err instanceof JwksUnavailableError) return 'jwks_unavailable';
  if (err instanceof DOMException) return err.name; // TimeoutError, AbortError
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'issuer_unreachable';
}

export function protect(
  rule: RouteRule,
  handler: Handler,
  getResourceServer: () => Promise<ResourceServer> = resourceServer,
) {
  /**
   * Refuses a request without a valid token: 401/400 as RFC 6750 says, or, once this address has
   * been refused RATE_LIMIT_API times in the window, 429. A valid token is never limited.
   */
  const refuse = (request: Request, reason: ApiRejection, response: Response): Response => {
    const { unauthenticatedRateLimit, rateLimitClientHeader } = resourceServerConfig();
    return reject(
      reason,
      rateLimited(
        'api',
        { rate: unauthenticatedRateLimit, clientHeader: rateLimitClientHeader },
        request,
        'json',
      ) ?? response,
    );
  };

  return async (request: Request): Promise<Response> => {
    // A deployment without its settings, or a preview without sign-in (lib/deployment-setup.ts).
    const gated = apiGate();
    if (gated) return gated;
    const credential = await readCredential(request);
    switch (credential.kind) {
      case 'none':
        return refuse(request, credential.reason, bearerError(undefined));
      case 'invalid_request':
        return refuse(
          request,
          credential.reason,
          bearerError('invalid_request', INVALID_REQUEST_TEXT[credential.reason]),
        );
      case 'too_large':
        return refuse(
          request,
          credential.reason,
          bearerError('invalid_token', 'The access token is invalid.'),
        );
    }

    let token: AccessToken;
    try {
      const rs = await getResourceServer();
      // The provider profile says this API cannot validate its access tokens (Google, authentik).
      if (!rs.config.enabled) {
        return reject(
          'api_disabled',
          bearerError(
            'invalid_token',
            'This API accepts no access tokens from the configured identity provider.',
          ),
        );
      }
      token = await rs.verify(credential.token);
    } catch (err) {
      if (err instanceof InvalidTokenError) {
        return refuse(
          request,
          err.reason,
          bearerError('invalid_token', 'The access token is invalid.'),
        );
      }
      // Too many introspection requests in flight already (API_INTROSPECTION_MAX_CONCURRENT).
      if (err instanceof IntrospectionBusyError)
        return reject('introspection_busy', tooManyRequests(1, 'json'));
      // The issuer (metadata, JWKS or introspection) cannot be reached: not the caller's fault.
      logEvent('api_unavailable', { error: errorCode(err) });
      const unavailable = json(
        {
          error: 'temporarily_unavailable',
          error_description: 'The token issuer cannot be reached.',
        },
        503,
      );
      unavailable.headers.set('Retry-After', '5');
      return unavailable;
    }

    if (!rule.callers.includes(token.kind)) {
      return reject(
        `${token.kind}_token_not_allowed`,
        bearerError(
          'insufficient_scope',
          `This endpoint does not accept ${token.kind} tokens.`,
          rule.scopes,
        ),
      );
    }
    if (rule.scopes.some((s) => !token.scopes.has(s))) {
      return reject(
        'insufficient_scope',
        bearerError('insufficient_scope', 'The access token lacks a required scope.', rule.scopes),
      );
    }
    try {
      return await handler(request, token);
    } catch (err) {
      logEvent('api_handler_error', { error: errorCode(err) });
      return json({ error: 'server_error' }, 500);
    }
  };
}
