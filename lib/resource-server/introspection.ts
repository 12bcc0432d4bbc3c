/**
 * RFC 7662 token introspection, for access tokens that are not JWTs. The result is cached under
 * a SHA-256 hash of the token (never the token itself) until the earlier of its `exp` and a
 * short TTL, so a revoked token stops working within that TTL.
 */
import * as oauth from 'oauth4webapi';
import { ISSUER_TIMEOUT_MS, issuerFetch } from '../issuer-http';
import { sha256Hex } from '../sha256';
import {
  InvalidTokenError,
  RFC_9068_SHAPE,
  toAccessToken,
  type AccessToken,
  type AccessTokenRejection,
} from './access-token';

export interface IntrospectorOptions {
  as: oauth.AuthorizationServer;
  clientId: string;
  clientSecret: string;
  audience: string;
  /** The `iss` an answer may name, when not the metadata's issuer (API_ISSUER). */
  issuer?: string;
  clockToleranceS: number;
  /** The provider profile's roles claim, if the introspection response carries one. */
  rolesClaim?: string;
  /** The API's name for a scope the provider names differently. */
  scopeName?: (scope: string) => string;
  allowInsecureRequests: boolean;
  /** Upper bound on how long an answer is reused. */
  ttlMs?: number;
  /** How long an "inactive" answer is reused (so a flood of junk tokens is not re-asked). */
  inactiveTtlMs?: number;
  maxEntries?: number;
  timeoutMs?: number;
  /** Requests to the introspection endpoint in flight at once, at most; more fail at once. */
  maxConcurrent?: number;
}

/**
 * The introspection endpoint is busy with MAX concurrent requests of ours already: the caller
 * is told to come back (429 Retry-After), rather than queue, so a flood of opaque junk tokens
 * cannot pile up requests at the provider or hold this instance's connections.
 */
export class IntrospectionBusyError extends Error {
  override name = 'IntrospectionBusyError';
}

type Entry =
  { until: number; result: AccessToken } | { until: number; reason: AccessTokenRejection };

export function createIntrospector(options: IntrospectorOptions) {
  const {
    as,
    clientId,
    clientSecret,
    audience,
    clockToleranceS,
    ttlMs = 30_000,
    inactiveTtlMs = 5_000,
    maxEntries = 10_000,
    timeoutMs = ISSUER_TIMEOUT_MS,
    maxConcurrent = 16,
  } = options;
  const cache = new Map<string, Entry>();
  const inflight = new Map<string, Promise<AccessToken>>();
  const client: oauth.Client = { client_id: clientId };
  const auth = oauth.ClientSecretBasic(clientSecret);
  let requests = 0;

  function remember(key: string, entry: Entry) {
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!); // oldest first
    cache.set(key, entry);
  }

  async function ask(token: string): Promise<AccessToken> {
    requests++;
    const response = await oauth.introspectionRequest(as, client, auth, token, {
      signal: AbortSignal.timeout(timeoutMs),
      [oauth.customFetch]: issuerFetch, // lib/issuer-http.ts: the size cap
      [oauth.allowInsecureRequests]: options.allowInsecureRequests,
      additionalParameters: { token_type_hint: 'access_token' },
    });
    let result: oauth.IntrospectionResponse;
    try {
      result = await oauth.processIntrospectionResponse(as, client, response);
    } catch (err) {
      // The endpoint answered, and refused this token (e.g. unsupported_token_type): the
      // token is not valid for us. A 5xx from the issuer is an outage instead.
      if (err instanceof oauth.ResponseBodyError && err.status < 500)
        throw new InvalidTokenError('introspection_refused');
      throw err;
    }
    const now = Date.now() / 1000;
    // RFC 7662 §2.2: `active` is the only required member; everything else we check ourselves.
    if (!result.active) throw new InvalidTokenError('introspection_inactive');
    if (result.token_type && result.token_type.toLowerCase() === 'refresh_token')
      throw new InvalidTokenError('wrong_token_type');
    if (result.iss !== undefined && result.iss !== (options.issuer ?? as.issuer))
      throw new InvalidTokenError('wrong_issuer');
    if (![result.aud].flat().includes(audience)) throw new InvalidTokenError('wrong_audience');
    if (typeof result.exp !== 'number') throw new InvalidTokenError('missing_exp');
    if (result.exp + clockToleranceS <= now) throw new InvalidTokenError('expired');
    if (typeof result.nbf === 'number' && result.nbf - clockToleranceS > now)
      throw new InvalidTokenError('not_yet_valid');
    if (typeof result.client_id !== 'string') throw new InvalidTokenError('missing_client_id');
    // RFC 7662 §2.2 names the claims: `scope` (a string) and `client_id`; roles as the profile says.
    return toAccessToken(
      result,
      'opaque',
      { ...RFC_9068_SHAPE, rolesClaim: options.rolesClaim },
      options.scopeName,
    );
  }

  async function introspect(token: string): Promise<AccessToken> {
    const key = await sha256Hex(token);
    const hit = cache.get(key);
    if (hit && hit.until > Date.now()) {
      if ('reason' in hit) throw new InvalidTokenError(hit.reason);
      return hit.result;
    }
    cache.delete(key);
    // Concurrent lookups of one token share one request.
    let pending = inflight.get(key);
    if (!pending) {
      if (inflight.size >= maxConcurrent)
        throw new IntrospectionBusyError(`${maxConcurrent} introspection requests are in flight`);
      pending = ask(token).finally(() => inflight.delete(key));
      inflight.set(key, pending);
    }
    try {
      const result = await pending;
      remember(key, { until: Math.min(Date.now() + ttlMs, result.exp * 1000), result });
      return result;
    } catch (err) {
      if (err instanceof InvalidTokenError) {
        remember(key, { until: Date.now() + inactiveTtlMs, reason: err.reason });
      }
      throw err; // network errors are not cached
    }
  }

  return Object.defineProperties(introspect, {
    /** Requests made to the introspection endpoint so far. */
    requests: { get: () => requests },
    /** Cache keys, for tests: hashes, never tokens. */
    cacheKeys: { value: () => [...cache.keys()] },
  }) as typeof introspect & { readonly requests: number; cacheKeys: () => string[] };
}
