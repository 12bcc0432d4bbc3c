/**
 * Security headers of the production build: the nonce-based Content-Security-Policy of pages
 * (and that the browser runs the app under it without a single violation), the deny-all policy
 * of route handlers, Referrer-Policy on /auth, no-store on everything that carries session or
 * token data, HSTS, X-Frame-Options, X-Content-Type-Options, and no X-Powered-By.
 */
import {
  expect,
  test,
  type APIResponse,
  type BrowserContext,
  type Page,
  type Response,
} from '@playwright/test';
import { LOCAL_IDP } from '../lib/config';
import { APP_URL, IDP_URL } from './env';
import { machineToken, readSession, signIn } from './helpers';

const BFF_HEADERS = { 'x-bff-request': '1', Origin: APP_URL };
const ONE_YEAR_S = 365 * 24 * 3600;

type AnyResponse = APIResponse | Response;

function headersOf(response: AnyResponse): Record<string, string> {
  return response.headers();
}

/** A Content-Security-Policy as directive name → values. */
function directives(policy: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), values);
  }
  return map;
}

/** Headers every response of the production build carries (or must not carry). */
function expectBaseline(response: AnyResponse, label: string): void {
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

function expectNoStore(response: AnyResponse, label: string): void {
  const cacheControl = headersOf(response)['cache-control'] ?? '';
  expect(
    cacheControl.split(',').map((v) => v.trim().toLowerCase()),
    `${label}: Cache-Control "${cacheControl}"`,
  ).toContain('no-store');
}

/** Signs alice in and returns the response of /auth/callback (a real authorization response). */
async function signInCapturingCallback(page: Page): Promise<Response> {
  const callback = page.waitForResponse((r) => r.url().startsWith(`${APP_URL}/auth/callback?`));
  await signIn(page, 'alice');
  const response = await callback;
  await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');
  return response;
}

/** A client-credentials token with `metrics:read` (helpers' machineToken() asks for stats:read). */
async function metricsToken(): Promise<string> {
  const credentials = Buffer.from(
    `${LOCAL_IDP.machineClientId}:${LOCAL_IDP.machineClientSecret}`,
  ).toString('base64');
  const response = await fetch(`${IDP_URL}/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${credentials}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'metrics:read' }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function get(
  context: BrowserContext,
  path: string,
  headers: Record<string, string> = {},
): Promise<APIResponse> {
  return context.request.get(`${APP_URL}${path}`, { headers, maxRedirects: 0 });
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

test('Referrer-Policy: no-referrer on /auth responses, so the code never leaks in a Referer', async ({
  page,
  context,
  request,
}) => {
  const navigations: { url: string; referer?: string }[] = [];
  page.on('request', (r) => {
    if (r.isNavigationRequest()) navigations.push({ url: r.url(), referer: r.headers().referer });
  });
  const callback = await signInCapturingCallback(page);
  expect(callback.status()).toBe(303);
  expect(callback.headers()['referrer-policy'], '/auth/callback').toBe('no-referrer');
  // The page the callback redirects to does not learn the callback URL (code, state).
  expect(await page.evaluate(() => document.referrer)).toBe('');
  for (const { url, referer } of navigations)
    expect(referer ?? '', `Referer of ${url}`).not.toMatch(/code=|state=/);

  const login = await request.get('/auth/login?returnTo=/dashboard', { maxRedirects: 0 });
  expect(login.status()).toBe(303);
  expect(login.headers()['referrer-policy'], '/auth/login').toBe('no-referrer');

  // A real sign-out: /auth/logout (303 to the IdP), then /auth/logout/callback.
  const logout = page.waitForResponse((r) => r.url() === `${APP_URL}/auth/logout`);
  const logoutCallback = page.waitForResponse((r) =>
    r.url().startsWith(`${APP_URL}/auth/logout/callback`),
  );
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await expect(page).toHaveURL(`${APP_URL}/?signedOut=1`);
  for (const [label, response] of [
    ['POST /auth/logout', await logout],
    ['GET /auth/logout/callback', await logoutCallback],
    ['GET /auth/logout (405)', await request.get('/auth/logout', { maxRedirects: 0 })],
    [
      'POST /auth/logout (403)',
      await request.post('/auth/logout', {
        headers: { Origin: 'http://evil.example' },
        maxRedirects: 0,
      }),
    ],
    ['GET /auth/refresh', await get(context, '/auth/refresh?returnTo=/', {})],
  ] as const) {
    expect(response.headers()['referrer-policy'], label).toBe('no-referrer');
  }
});

test('Cache-Control: no-store on every response with session or token data', async ({
  page,
  context,
  request,
}) => {
  const callback = await signInCapturingCallback(page);
  expectNoStore(callback, 'GET /auth/callback');
  const { accessToken } = await readSession(context);
  const bearer = { Authorization: `Bearer ${accessToken}` };
  const machine = { Authorization: `Bearer ${await machineToken()}` };

  const created = await context.request.post(`${APP_URL}/bff/notes`, {
    headers: BFF_HEADERS,
    data: { text: 'no-store check' },
  });
  expect(created.status()).toBe(201);
  const { note } = (await created.json()) as { note: { id: string } };

  const responses: [string, APIResponse, number][] = [
    ['GET /dashboard', await get(context, '/dashboard'), 200],
    // Next answers an RSC request without its cache-busting `_rsc` parameter with a redirect
    // that adds it: followed here, on the app.
    [
      'GET /dashboard (RSC)',
      await context.request.get(`${APP_URL}/dashboard`, { headers: { RSC: '1' }, maxRedirects: 3 }),
      200,
    ],
    ['GET / (signed in)', await get(context, '/'), 200],
    ['GET /bff/notes', await get(context, '/bff/notes', BFF_HEADERS), 200],
    ['POST /bff/notes', created, 201],
    ['GET /auth/refresh', await get(context, '/auth/refresh?returnTo=/dashboard'), 303],
    ['GET /api/me', await request.get('/api/me', { headers: bearer }), 200],
    ['GET /api/notes', await request.get('/api/notes', { headers: bearer }), 200],
    [`GET /api/notes/:id`, await request.get(`/api/notes/${note.id}`, { headers: bearer }), 200],
    [
      'GET /api/notes/:id (404)',
      await request.get('/api/notes/no-such-note', { headers: bearer }),
      404,
    ],
    ['GET /api/stats', await request.get('/api/stats', { headers: machine }), 200],
    [
      'GET /api/metrics',
      await request.get('/api/metrics', {
        headers: { Authorization: `Bearer ${await metricsToken()}` },
      }),
      200,
    ],
    [
      'GET /api/metrics (JSON)',
      await request.get('/api/metrics', {
        headers: { Authorization: `Bearer ${await metricsToken()}`, Accept: 'application/json' },
      }),
      200,
    ],
    ['GET /api/me (401)', await request.get('/api/me'), 401],
    ['GET /api/stats (403)', await request.get('/api/stats', { headers: bearer }), 403],
    [
      'GET /auth/login',
      await request.get('/auth/login?returnTo=/dashboard', { maxRedirects: 0 }),
      303,
    ],
  ];
  for (const [label, response, status] of responses) {
    expect(response.status(), label).toBe(status);
    expectNoStore(response, label);
    expectBaseline(response, label);
  }
  const dashboard = await responses[0]![1].text();
  expect(dashboard).toContain('Who you are');
  const rsc = await responses[1]![1].text();
  expect(rsc).toContain('alice@example.com');
});

test('/api answers every method and every path with JSON and no-store: 405 with Allow, 404 for no endpoint', async ({
  request,
}) => {
  const unsupported: Array<[string, string, string]> = [
    ['POST', '/api/me', 'GET, HEAD, OPTIONS'],
    ['DELETE', '/api/me', 'GET, HEAD, OPTIONS'],
    ['PUT', '/api/notes', 'GET, POST, HEAD, OPTIONS'],
    ['PATCH', '/api/stats', 'GET, HEAD, OPTIONS'],
    ['POST', '/api/notes/some-id', 'GET, HEAD, OPTIONS'],
    ['DELETE', '/api/metrics', 'GET, HEAD, OPTIONS'],
  ];
  for (const [method, path, allow] of unsupported) {
    const label = `${method} ${path}`;
    const response = await request.fetch(path, {
      method,
      headers: { Authorization: 'Bearer x.y.z' },
      maxRedirects: 0,
    });
    expect(response.status(), label).toBe(405);
    expect(response.headers().allow, label).toBe(allow);
    expect(await response.json(), label).toMatchObject({ error: 'method_not_allowed' });
    expectNoStore(response, label);
    expectBaseline(response, label);
  }
  const nowhere: Array<[string, string]> = [
    ['GET', '/api'],
    ['GET', '/api/nope'],
    ['POST', '/api/nope'],
    ['DELETE', '/api/notes/a/b'],
    ['GET', '/api/me/extra'],
    ['OPTIONS', '/api/nope'],
  ];
  for (const [method, path] of nowhere) {
    const label = `${method} ${path}`;
    const response = await request.fetch(path, { method, maxRedirects: 0 });
    expect(response.status(), label).toBe(404);
    expect(response.headers()['content-type'], label).toContain('application/json');
    expect(await response.json(), label).toEqual({
      error: 'not_found',
      error_description: 'There is no API endpoint at this path.',
    });
    expectNoStore(response, label);
  }
  // What Next answers by itself (HEAD from GET, OPTIONS with Allow) is no-store too (next.config.ts).
  for (const [method, path, status] of [
    ['HEAD', '/api/me', 401],
    ['OPTIONS', '/api/me', 204],
    ['OPTIONS', '/api/notes', 204],
  ] as const) {
    const response = await request.fetch(path, { method, maxRedirects: 0 });
    expect(response.status(), `${method} ${path}`).toBe(status);
    expectNoStore(response, `${method} ${path}`);
  }
  // /auth and /bff: Next's own 405 and 404 are no-store as well.
  for (const [method, path, status] of [
    ['GET', '/auth/logout', 405],
    ['GET', '/bff/nope', 404],
    ['PUT', '/auth/callback', 405],
  ] as const) {
    const response = await request.fetch(path, { method, maxRedirects: 0 });
    expect(response.status(), `${method} ${path}`).toBe(status);
    expectNoStore(response, `${method} ${path}`);
  }
});

test('HSTS, X-Frame-Options, nosniff and no X-Powered-By on every kind of response', async ({
  request,
}) => {
  const home = await request.get('/');
  const html = await home.text();
  const asset = /<script src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
  expect(asset, 'a static script in the home page').toBeDefined();
  const stylesheet = /<link rel="stylesheet" href="(\/_next\/static\/[^"]+\.css)"/.exec(html)?.[1];
  expect(stylesheet, 'a stylesheet in the home page').toBeDefined();
  const responses: [string, APIResponse, number][] = [
    ['page /', home, 200],
    ['page /auth/error', await request.get('/auth/error?reason=access_denied'), 200],
    ['guard redirect /dashboard', await request.get('/dashboard', { maxRedirects: 0 }), 307],
    ['path hygiene 400', await request.get('/%E0%A4%A', { maxRedirects: 0 }), 400],
    ['not found', await request.get('/_next/static/no-such-file.js'), 404],
    ['static script', await request.get(asset!), 200],
    ['stylesheet', await request.get(stylesheet!), 200],
    ['route handler /api/me', await request.get('/api/me'), 401],
    ['route handler /bff/notes', await request.get('/bff/notes', { maxRedirects: 0 }), 403],
    ['redirect /auth/login', await request.get('/auth/login', { maxRedirects: 0 }), 303],
    ['405 /auth/logout', await request.get('/auth/logout', { maxRedirects: 0 }), 405],
    ['HEAD /', await request.head('/'), 200],
  ];
  for (const [label, response, status] of responses) {
    expect(response.status(), label).toBe(status);
    expectBaseline(response, label);
  }
});
