/**
 * Helpers the security-header suites of this folder (./*.spec.ts) share: the headers every
 * response of the production build carries (HSTS, X-Frame-Options, nosniff, COOP, no
 * X-Powered-By), `Cache-Control: no-store`, a sign-in that returns the response of
 * /auth/callback, and a GET with the browser's cookies and no redirects. Not a spec file.
 */
import {
  expect,
  type APIResponse,
  type BrowserContext,
  type Page,
  type Response,
} from '@playwright/test';
import { APP_URL } from '../env';
import { signIn } from '../helpers';

export const BFF_HEADERS = { 'x-bff-request': '1', Origin: APP_URL };
const ONE_YEAR_S = 365 * 24 * 3600;

export type AnyResponse = APIResponse | Response;

export function headersOf(response: AnyResponse): Record<string, string> {
  return response.headers();
}

/** Headers every response of the production build carries (or must not carry). */
export function expectBaseline(response: AnyResponse, label: string): void {
  const headers = headersOf(response);
  const hsts = headers['strict-transport-security'];
  expect(hsts, `${label}: Strict-Transport-Security`).toBeDefined();
  const maxAge = Number(/(?:^|;)\s*max-age=(\d+)/i.exec(hsts!)?.[1]);
  expect(maxAge, `${label}: HSTS max-age`).toBeGreaterThanOrEqual(ONE_YEAR_S);
  expect(headers['x-frame-options'], `${label}: X-Frame-Options`).toBe('DENY');
  expect(headers['x-content-type-options'], `${label}: X-Content-Type-Options`).toBe('nosniff');
  expect(headers['x-powered-by'], `${label}: X-Powered-By`).toBeUndefined();
  // No window another site opened, or that this one opened, keeps a handle on a signed-in tab.
  expect(headers['cross-origin-opener-policy'], `${label}: Cross-Origin-Opener-Policy`).toBe(
    'same-origin',
  );
}

export function expectNoStore(response: AnyResponse, label: string): void {
  const cacheControl = headersOf(response)['cache-control'] ?? '';
  expect(
    cacheControl.split(',').map((v) => v.trim().toLowerCase()),
    `${label}: Cache-Control "${cacheControl}"`,
  ).toContain('no-store');
}

/** Signs alice in and returns the response of /auth/callback (a real authorization response). */
export async function signInCapturingCallback(page: Page): Promise<Response> {
  const callback = page.waitForResponse((r) => r.url().startsWith(`${APP_URL}/auth/callback?`));
  await signIn(page, 'alice');
  const response = await callback;
  await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');
  return response;
}

/** A GET with the browser context's cookies, not following redirects. */
export async function get(
  context: BrowserContext,
  path: string,
  headers: Record<string, string> = {},
): Promise<APIResponse> {
  return context.request.get(`${APP_URL}${path}`, { headers, maxRedirects: 0 });
}
