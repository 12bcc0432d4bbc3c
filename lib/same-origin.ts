/**
 * CSRF defence for state-changing requests from our own pages (OWASP CSRF cheat sheet: verify
 * the origin with standard headers). The session cookie is SameSite=Lax on top of this.
 */
import { config } from './config';

export function isSameOriginRequest(request: Request): boolean {
  const origin = request.headers.get('origin');
  if (origin !== null) return origin === config().appBaseUrl.origin;
  // No Origin header: accept only what Fetch Metadata says is same-origin.
  return request.headers.get('sec-fetch-site') === 'same-origin';
}
