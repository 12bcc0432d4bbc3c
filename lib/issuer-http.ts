/**
 * One HTTP policy for every request this app makes to its issuer, whichever role makes it: the
 * client (discovery, token, revocation, the JWKS for ID tokens) and the resource server
 * (discovery, the JWKS for access tokens, introspection). Web APIs only.
 *
 * - A time limit (ISSUER_TIMEOUT_MS): a route never hangs on the provider.
 * - Plain http:// only to a loopback issuer (the local IdP, tests); https:// everywhere else.
 * - A cap on every response body (MAX_RESPONSE_BYTES), counted as it streams in: a broken or
 *   hostile endpoint cannot make the app buffer an unbounded body.
 * - Discovery once per issuer and process (an hour; a failure is not kept), shared by both roles.
 */
import * as oauth from 'oauth4webapi';
import { isLoopback } from './config.ts';

export const ISSUER_TIMEOUT_MS = 8_000;
/** Far above any real metadata document, JWKS or token response (a few KB to a few tens of KB). */
export const MAX_RESPONSE_BYTES = 512 * 1024;
const DISCOVERY_TTL_MS = 60 * 60 * 1000;

/** The issuer answered with a body over MAX_RESPONSE_BYTES: no usable answer, like a time-out. */
export class ResponseTooLargeError extends Error {
  override name = 'ResponseTooLargeError';
}

/** May requests to `url` go over plain http://? Only to a loopback host (lib/config.ts). */
export function plainHttpAllowed(url: URL): boolean {
  return url.protocol === 'http:' && isLoopback(url);
}

/** Statuses whose responses have no body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * fetch() under the policy: the time limit (unless the caller brings a signal of its own) and the
 * body cap. The body is read here, within the limit, and handed on as a new Response.
 */
export async function issuerFetch(
  input: string | URL | Request,
  init: RequestInit = {},
): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : input);
  if (url.protocol !== 'https:' && !plainHttpAllowed(url))
    throw new TypeError(`refusing ${url.protocol} to ${url.host}: https:// only, but for loopback`);
  const response = await fetch(input, {
    ...init,
    signal: init.signal ?? AbortSignal.timeout(ISSUER_TIMEOUT_MS),
  });
  if (Number(response.headers.get('content-length')) > MAX_RESPONSE_BYTES) {
    await response.body?.cancel();
    throw new ResponseTooLargeError(`${url.host} answered more than ${MAX_RESPONSE_BYTES} bytes`);
  }
  if (!response.body || NULL_BODY.has(response.status)) return response;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new ResponseTooLargeError(`${url.host} answered more than ${MAX_RESPONSE_BYTES} bytes`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  const copy = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  // oauth4webapi reads `url` (where a response came from) in some checks: keep it.
  Object.defineProperty(copy, 'url', { value: response.url });
  return copy;
}

/** oauth4webapi's options for a request to `issuer` under the policy. */
export function issuerHttpOptions(issuer: URL) {
  return {
    signal: () => AbortSignal.timeout(ISSUER_TIMEOUT_MS),
    [oauth.customFetch]: issuerFetch,
    // oauth4webapi refuses http:// endpoints unless told; only ever for a loopback issuer.
    [oauth.allowInsecureRequests]: plainHttpAllowed(issuer),
  };
}

type Discovery = { as: Promise<oauth.AuthorizationServer>; at: number };
const discoveries = () =>
  ((globalThis as { __issuerDiscovery?: Map<string, Discovery> }).__issuerDiscovery ??= new Map());

/** Forgets what discovery found for `issuer`: the next request asks again (tests: a "restarted" server). */
export function forgetDiscovery(issuer: URL): void {
  discoveries().delete(issuer.href);
}

/**
 * OpenID Connect Discovery 1.0 §4, once per issuer, shared by the client and the resource server.
 * processDiscoveryResponse checks that the document's `issuer` is exactly the configured one
 * (§4.3). Kept an hour; a failure is not kept (each role decides how soon to ask again).
 * On globalThis: Next bundles a module once per route, and each copy would discover again.
 */
export function discover(issuer: URL): Promise<oauth.AuthorizationServer> {
  const cache = discoveries();
  const hit = cache.get(issuer.href);
  if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.as;
  const as = oauth
    .discoveryRequest(issuer, { algorithm: 'oidc', ...issuerHttpOptions(issuer) })
    .then((response) => oauth.processDiscoveryResponse(issuer, response));
  cache.set(issuer.href, { as, at: Date.now() });
  as.catch(() => {
    if (cache.get(issuer.href)?.as === as) cache.delete(issuer.href);
  });
  return as;
}
