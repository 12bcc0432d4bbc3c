/**
 * Content-Security-Policy of the production build: the nonce-based policy of pages, a fresh nonce
 * per response on every script, that the browser runs the app under it without a single
 * violation (a whole session, and the not-found page), and the deny-all policy of route handlers.
 */
import { expect, test, type APIResponse } from '@playwright/test';
import { APP_URL, IDP_URL } from '../env';
import { machineToken } from '../helpers';
import {
  BFF_HEADERS,
  expectBaseline,
  get,
  headersOf,
  signInCapturingCallback,
  type AnyResponse,
} from './helpers';

/** A Content-Security-Policy as directive name → values. */
function directives(policy: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), values);
  }
  return map;
}

/**
 * A page's policy: a nonce and 'strict-dynamic' in script-src and nothing unsafe, no framing,
 * no plugins, no <base>. Every <script> in the HTML carries the nonce. Returns the nonce.
 */
function expectPageCsp(response: AnyResponse, html: string, label: string): string {
  const policy = headersOf(response)['content-security-policy'];
  expect(policy, `${label}: Content-Security-Policy`).toBeDefined();
  const csp = directives(policy!);
  const scriptSrc = csp.get('script-src') ?? [];
  const nonces = scriptSrc.filter((v) => v.startsWith("'nonce-"));
  expect(nonces, `${label}: one nonce in script-src (${policy})`).toHaveLength(1);
  const nonce = /^'nonce-([A-Za-z0-9+/_-]+={0,2})'$/.exec(nonces[0]!)?.[1];
  expect(nonce, `${label}: nonce syntax`).toBeDefined();
  // At least 128 bits: 16 bytes are 22+ base64 characters.
  expect(nonce!.replace(/=+$/, '').length, `${label}: nonce length`).toBeGreaterThanOrEqual(22);
  expect(scriptSrc, `${label}: script-src`).toContain("'strict-dynamic'");
  expect(scriptSrc, `${label}: script-src`).not.toContain("'unsafe-inline'");
  expect(scriptSrc, `${label}: script-src (production)`).not.toContain("'unsafe-eval'");
  expect(csp.get('frame-ancestors'), `${label}: frame-ancestors`).toEqual(["'none'"]);
  expect(csp.get('object-src'), `${label}: object-src`).toEqual(["'none'"]);
  expect(csp.get('base-uri'), `${label}: base-uri`).toEqual(["'none'"]);

  const scripts = html.match(/<script\b[^>]*>/gi) ?? [];
  expect(scripts.length, `${label}: scripts in the HTML`).toBeGreaterThan(0);
  for (const tag of scripts)
    expect(tag, `${label}: every <script> has the nonce`).toContain(`nonce="${nonce}"`);
  return nonce!;
}

/** A route handler's policy: nothing may load, nothing may frame it. */
function expectApiCsp(response: AnyResponse, label: string): void {
  const policy = headersOf(response)['content-security-policy'];
  expect(policy, `${label}: Content-Security-Policy`).toMatch(/^default-src 'none';/);
  expect(directives(policy!).get('frame-ancestors'), `${label}: frame-ancestors`).toEqual([
    "'none'",
  ]);
}

test('pages: a nonce-based CSP, a fresh nonce per response, on every script', async ({
  page,
  context,
  request,
}) => {
  await signInCapturingCallback(page);
  // Signed in (the browser's cookies): the dashboard, the home page, the error page, a 404 page.
  const signedIn = ['/dashboard', '/', '/auth/error', '/auth/error?reason=access_denied'];
  for (const path of signedIn) {
    const seen = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const response = await get(context, path);
      const html = await response.text();
      expect(response.status(), path).toBe(200);
      if (path === '/dashboard') expect(html).toContain('Who you are');
      seen.add(expectPageCsp(response, html, `${path} (signed in)`));
      expectBaseline(response, path);
    }
    expect(seen.size, `${path}: a new nonce per response`).toBe(2);
  }
  // Signed out.
  const nonces = new Set<string>();
  for (const path of ['/', '/', '/auth/error', '/auth/error?reason=missing_transaction']) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(200);
    nonces.add(expectPageCsp(response, await response.text(), `${path} (signed out)`));
  }
  expect(nonces.size).toBe(4);
});

test('the browser reports no CSP violation across sign-in, dashboard, BFF calls and sign-out', async ({
  page,
  context,
}) => {
  const violations: { document: string; text: string }[] = [];
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(
        `[csp-violation] ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber}) on ${location.href}`,
      );
    });
  });
  page.on('console', (message) => {
    const text = message.text();
    if (text.startsWith('[csp-violation]') || /Content Security Policy/i.test(text)) {
      violations.push({ document: page.url(), text: `${text} @ ${message.location().url}` });
    }
  });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`${page.url()}: ${err.message}`));

  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`^${IDP_URL}/interaction/`));
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('alice');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');

  // The buttons are enabled once React has hydrated: Next's scripts ran under the policy.
  await page.getByRole('button', { name: 'Read my notes' }).click();
  await expect(page.getByTestId('bff-status')).toHaveText('200');
  await page.getByLabel('Note text').fill('csp check');
  await page.getByRole('button', { name: 'Add a note' }).click();
  await expect(page.getByTestId('bff-status')).toHaveText('201');
  // A client-side navigation (an RSC fetch), then back to the dashboard with a full load.
  await page.getByRole('link', { name: 'next-oidc-reference' }).click();
  await expect(page).toHaveURL(`${APP_URL}/`);
  await expect(page.getByRole('link', { name: 'Open dashboard' })).toBeVisible();
  await page.getByRole('link', { name: 'Open dashboard' }).click();
  await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(new RegExp(`^${IDP_URL}/session/end`));
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await expect(page).toHaveURL(`${APP_URL}/?signedOut=1`);
  await expect(page.getByRole('status')).toContainText('signed out');

  const app = violations.filter(
    (v) => v.document.startsWith(APP_URL) || v.text.includes(`on ${APP_URL}`),
  );
  const idp = violations.filter((v) => !app.includes(v));
  if (idp.length)
    test.info().annotations.push({
      type: 'CSP reports on the IdP’s own pages (not the app)',
      description: idp.map((v) => v.text).join('\n'),
    });
  expect(app, 'CSP violations on the app’s pages').toEqual([]);
  expect(
    errors.filter((e) => e.startsWith(APP_URL)),
    'script errors on the app’s pages',
  ).toEqual([]);
});

test('the not-found page (signed in) runs under the CSP: a nonce on every script, no violation', async ({
  page,
  context,
}) => {
  await signInCapturingCallback(page);
  const response = await get(context, '/no-such-page');
  expect(response.status()).toBe(404);
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text()))
      violations.push(message.text().slice(0, 160));
  });
  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  // app/not-found.tsx renders per request: a prerendered 404 would carry no nonce, and the
  // per-request policy would block its scripts.
  expect(violations, 'CSP violations on the not-found page').toEqual([]);
  expectPageCsp(response, await response.text(), '/no-such-page (signed in)');
});

test('route handlers: a deny-all CSP', async ({ request }) => {
  const token = await machineToken();
  const responses: [string, APIResponse][] = [
    ['GET /api/me (no token)', await request.get('/api/me')],
    [
      'GET /api/me (machine token)',
      await request.get('/api/me', { headers: { Authorization: `Bearer ${token}` } }),
    ],
    [
      'GET /api/stats (machine token)',
      await request.get('/api/stats', { headers: { Authorization: `Bearer ${token}` } }),
    ],
    ['GET /bff/notes (no header)', await request.get('/bff/notes', { maxRedirects: 0 })],
    [
      'GET /bff/notes (signed out)',
      await request.get('/bff/notes', { headers: BFF_HEADERS, maxRedirects: 0 }),
    ],
    ['GET /auth/login', await request.get('/auth/login?returnTo=/dashboard', { maxRedirects: 0 })],
    [
      'GET /auth/refresh',
      await request.get('/auth/refresh?returnTo=/dashboard', { maxRedirects: 0 }),
    ],
    [
      'GET /auth/callback',
      await request.get('/auth/callback?code=x&state=AAAAAAAAAAAAAAAAAAAAAA', { maxRedirects: 0 }),
    ],
    ['GET /auth/logout', await request.get('/auth/logout', { maxRedirects: 0 })],
    [
      'POST /auth/logout',
      await request.post('/auth/logout', { headers: { Origin: APP_URL }, maxRedirects: 0 }),
    ],
  ];
  expect(responses[1]![1].status()).toBe(200);
  for (const [label, response] of responses) {
    expect(response.status(), label).toBeLessThan(500);
    expectApiCsp(response, label);
    expectBaseline(response, label);
  }
});
