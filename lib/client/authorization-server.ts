/**
 * The client's view of the authorization server: discovery metadata, client metadata, client
 * authentication, the ID token's signature check, and the transport options every outbound
 * request uses.
 */
import * as oauth from 'oauth4webapi';
import { config } from '../config';
import { discover, issuerHttpOptions } from '../issuer-http';
import { clientAuthentication } from './client-auth';

/** Every request to the provider goes under lib/issuer-http.ts's policy: time limit, https, size cap. */
export function httpOptions() {
  return issuerHttpOptions(config().issuer);
}

/**
 * Client metadata. `id_token_signed_response_alg` pins the ID token's `alg` (OIDC Core
 * §3.1.3.7 step 7, RFC 8725 §3.1): oauth4webapi refuses any other, whatever the provider
 * advertises.
 */
export function client(): oauth.Client {
  return { client_id: config().clientId, id_token_signed_response_alg: config().idTokenSigningAlg };
}

let auth: Promise<oauth.ClientAuth> | undefined;

/** This process's client authentication (lib/client/client-auth.ts), prepared once. */
export function clientAuth(): Promise<oauth.ClientAuth> {
  auth ??= clientAuthentication(config().clientCredentials);
  auth.catch(() => (auth = undefined));
  return auth;
}

/** The issuer's signing keys, shared by every ID token signature check in this process. */
export const jwksCache: oauth.JWKSCacheInput = {};

/** An unknown `kid` refetches the JWKS at most this often (a flood of forged kids cannot flood the provider). */
export const JWKS_REFETCH_COOLDOWN_MS = 10_000;
let jwksRefetchedAt = -Infinity;

/**
 * OIDC Core §3.1.3.7 step 6: the ID token's signature, against the issuer's JWKS. oauth4webapi
 * skips it for a TLS back channel unless asked, so we ask. A key the provider published a moment
 * ago has a `kid` our cached JWKS lacks; oauth4webapi refetches only a set at least 60 s old, so
 * we drop the cached set and check once more (at most once per cooldown).
 */
export async function validateIdTokenSignature(
  as: oauth.AuthorizationServer,
  response: Response,
): Promise<void> {
  const options = { ...httpOptions(), [oauth.jwksCache]: jwksCache };
  try {
    await oauth.validateApplicationLevelSignature(as, response, options);
  } catch (err) {
    // No key fits the header (an empty list of candidates), as opposed to several fitting.
    const noKey =
      err instanceof oauth.OperationProcessingError &&
      err.code === oauth.KEY_SELECTION &&
      (err.cause as { candidates?: unknown[] } | undefined)?.candidates?.length === 0;
    if (!noKey || Date.now() - jwksRefetchedAt < JWKS_REFETCH_COOLDOWN_MS) throw err;
    jwksRefetchedAt = Date.now();
    const cache = jwksCache as { jwks?: unknown; uat?: unknown };
    delete cache.jwks;
    delete cache.uat;
    // oauth4webapi also keeps the keys per metadata object: a copy starts from the empty cache.
    await oauth.validateApplicationLevelSignature({ ...as }, response, options);
  }
}

/**
 * OpenID Connect Discovery 1.0 §4: the issuer's metadata, fetched once per process and shared
 * with the resource server (lib/issuer-http.ts); the `issuer` must match exactly (§4.3).
 */
export function authorizationServer(): Promise<oauth.AuthorizationServer> {
  return discover(config().issuer);
}

/** The audience parameters of the authorization and token requests, as the provider profile says. */
export function audienceParameters(request: 'authorization' | 'token'): Record<string, string> {
  const { provider, apiAudience } = config();
  if (!provider.api.supported) return {};
  switch (provider.audienceRequest) {
    case 'resource':
      return { resource: apiAudience }; // RFC 8707 §2.1 (authorization) and §2.2 (token)
    case 'audience':
      return request === 'authorization' ? { audience: apiAudience } : {}; // Auth0
    case 'scope':
      return {};
  }
}
