/**
 * This app's origin, and everything built from it. The origin comes from configuration only
 * (APP_BASE_URL, or Vercel's production / branch URL: lib/config.ts), never from the request's
 * `Host` or `X-Forwarded-Host`, which a client or a proxy chooses. Every redirect, `Location`
 * header and absolute URL of the app goes through here.
 */
import { NextResponse } from 'next/server';
import { config } from './config';

/** One of this app's paths (a same-origin relative path) as an absolute URL on the configured origin. */
export function appUrl(path: string): URL {
  const origin = config().appBaseUrl;
  const url = new URL(path, origin);
  // Only paths: a caller passing a full URL would otherwise leave the origin.
  if (url.origin !== origin.origin || !path.startsWith('/') || path.startsWith('//')) {
    throw new TypeError(`appUrl takes a path of this app, got "${path}"`);
  }
  return url;
}

/**
 * A redirect, never cached: to one of this app's paths (on the configured origin), or to a URL
 * built from the provider's metadata (`URL`). 303 See Other unless said otherwise.
 */
export function redirectTo(target: string | URL, status: 303 | 307 | 308 = 303): NextResponse {
  const response = NextResponse.redirect(
    typeof target === 'string' ? appUrl(target) : target,
    status,
  );
  response.headers.set('Cache-Control', 'no-store');
  return response;
}

/**
 * Whether the browser reached the app on its configured host. Compared only: the request's Host
 * never builds a URL. On another host (a deployment's own *.vercel.app URL, 127.0.0.1 for
 * localhost), cookies set now would not come back to the configured redirect URI.
 */
export function onConfiguredHost(request: Request): boolean {
  return request.headers.get('host')?.toLowerCase() === config().appBaseUrl.host;
}

/**
 * CSRF defence for state-changing requests from our own pages (OWASP CSRF cheat sheet: verify
 * the origin with standard headers). The session cookie is SameSite=Lax on top of this.
 */
export function isSameOriginRequest(request: Request): boolean {
  const origin = request.headers.get('origin');
  if (origin !== null) return origin === config().appBaseUrl.origin;
  // No Origin header: accept only what Fetch Metadata says is same-origin.
  return request.headers.get('sec-fetch-site') === 'same-origin';
}

/**
 * A request from the server to this app's own /api (the BFF, the dashboard): to the configured
 * origin, with a time limit. Behind Vercel Deployment Protection, the project's automation bypass
 * (VERCEL_AUTOMATION_BYPASS_SECRET, set by Vercel) lets it through; it goes to this origin only.
 */
export function fetchApp(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const bypass = process.env.VERCEL_AUTOMATION_BYPASS_SECRET?.trim();
  if (bypass) headers.set('x-vercel-protection-bypass', bypass);
  return fetch(appUrl(path), {
    ...init,
    headers,
    cache: 'no-store',
    signal: init.signal ?? AbortSignal.timeout(8_000),
  });
}
