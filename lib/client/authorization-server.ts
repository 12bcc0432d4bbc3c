/**
 * The client's view of the authorization server: discovery metadata, client metadata, client
 * authentication, and the transport options every outbound request uses.
 */
import * as oauth from 'oauth4webapi';
import { config, isLoopback } from '../config';

/** RFC 9700 §4.x aside, a route must never hang on the provider: every request has a limit. */
export const HTTP_TIMEOUT_MS = 8_000;

export function httpOptions() {
  return {
    signal: () => AbortSignal.timeout(HTTP_TIMEOUT_MS),
    // oauth4webapi refuses http:// endpoints unless told; only ever for a loopback issuer.
    [oauth.allowInsecureRequests]: config().issuer.protocol === 'http:' && isLoopback(config().issuer),
  };
}

export function client(): oauth.Client {
  return { client_id: config().clientId };
}

/** RFC 6749 §2.3.1: client_secret_basic. */
export function clientAuth(): oauth.ClientAuth {
  return oauth.ClientSecretBasic(config().clientSecret);
}

/** The issuer's signing keys, shared by every ID token signature check in this process. */
export const jwksCache: oauth.JWKSCacheInput = {};

const DISCOVERY_TTL_MS = 60 * 60 * 1000;
let discovery: { as: Promise<oauth.AuthorizationServer>; at: number } | undefined;

/**
 * OpenID Connect Discovery 1.0 §4, cached for an hour. processDiscoveryResponse checks that the
 * document's `issuer` is exactly the configured issuer (§4.3). A failure is not cached.
 */
export function authorizationServer(): Promise<oauth.AuthorizationServer> {
  if (discovery && Date.now() - discovery.at < DISCOVERY_TTL_MS) return discovery.as;
  const issuer = config().issuer;
  const as = oauth
    .discoveryRequest(issuer, { algorithm: 'oidc', ...httpOptions() })
    .then((response) => oauth.processDiscoveryResponse(issuer, response));
  discovery = { as, at: Date.now() };
  as.catch(() => {
    if (discovery?.as === as) discovery = undefined;
  });
  return as;
}
