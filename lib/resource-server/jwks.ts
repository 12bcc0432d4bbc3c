/**
 * The issuer's signing keys for the resource server, cached. jose selects the key by `kid` (and
 * `alg`/`kty`) from this set only: `jku`, `x5u`, `jwk` and `x5c` headers are never used.
 *
 * Cache policy:
 * - keys are reused for `maxAgeMs`, then refetched on the next request;
 * - an unknown `kid` triggers a refetch, at most once per `cooldownMs` (a flood of random kids
 *   cannot flood the JWKS endpoint), which is how a key rotation is picked up;
 * - if a refetch fails, the keys already held stay in use (the endpoint being down does not stop
 *   validation); only a cold cache with the endpoint down fails;
 * - concurrent refetches share one request.
 */
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { ISSUER_TIMEOUT_MS, issuerFetch } from '../issuer-http.ts';

export interface JwksCacheOptions {
  cooldownMs?: number;
  maxAgeMs?: number;
  timeoutMs?: number;
}

export class JwksUnavailableError extends Error {
  override name = 'JwksUnavailableError';
}

export interface JwksCache {
  getKey: JWTVerifyGetKey;
  /** Requests made to the JWKS endpoint so far (for tests and metrics). */
  readonly fetches: number;
}

export function createJwksCache(jwksUri: URL, options: JwksCacheOptions = {}): JwksCache {
  const { cooldownMs = 30_000, maxAgeMs = 10 * 60_000, timeoutMs = ISSUER_TIMEOUT_MS } = options;
  let local: ReturnType<typeof createLocalJWKSet> | undefined;
  let fetchedAt = 0; // last successful fetch
  let attemptedAt = -Infinity; // last attempt, successful or not
  let inflight: Promise<void> | undefined;
  let fetches = 0;

  function reload(): Promise<void> {
    inflight ??= (async () => {
      attemptedAt = Date.now();
      fetches++;
      try {
        // lib/issuer-http.ts: https (but loopback), a size cap; here a time limit of our own.
        const response = await issuerFetch(jwksUri, {
          headers: { accept: 'application/json' },
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!response.ok)
          throw new JwksUnavailableError(`JWKS endpoint answered ${response.status}`);
        const jwks = (await response.json()) as JSONWebKeySet;
        local = createLocalJWKSet(jwks); // validates the shape; throws JWKSInvalid otherwise
        fetchedAt = Date.now();
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  }

  const coolingDown = () => Date.now() - attemptedAt < cooldownMs;

  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (!local) {
      await reload().catch((cause) => {
        throw new JwksUnavailableError('cannot fetch the issuer JWKS', { cause });
      });
    } else if (Date.now() - fetchedAt > maxAgeMs && !coolingDown()) {
      await reload().catch(() => undefined); // stale keys beat no keys
    }
    try {
      return await local!(header, token);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey)) throw err;
      if (inflight)
        await inflight.catch(() => undefined); // a refetch is under way: use its result
      else if (!coolingDown()) await reload().catch(() => undefined);
      else throw err;
      return local!(header, token);
    }
  };

  return {
    getKey,
    get fetches() {
      return fetches;
    },
  };
}
