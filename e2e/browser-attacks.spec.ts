/**
 * Attacks a real browser (or a raw client) can mount against the BFF, end to end against the
 * production build and the local IdP:
 *
 * - misuse of the login callback: replay, login CSRF, authorization-code injection;
 * - open redirects through `returnTo`, at sign-in and at sign-out;
 * - forged sign-out and BFF calls from a page on another origin (a tiny node:http server);
 * - bad session cookies (tampered, expired, idle, foreign, oversized, garbage, empty);
 * - attempts to reach the dashboard past the Edge guard without a session.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import {
  expect,
  test,
  type APIRequestContext,
  type APIResponse,
  type Browser,
  type BrowserContext,
  type Cookie,
  type Page,
  type Response,
} from '@playwright/test';
import { sealData } from 'iron-session';
import { LOGIN_FAILURE_MESSAGES, type LoginFailure } from '../lib/client/errors';
import { passwordMaps } from '../lib/cookies/seal';
import { APP_URL, IDP_URL, SESSION_COOKIE, TEST_SESSION_SECRET } from './env';
import { readSession, signIn, type Session } from './helpers';

const APP = new URL(APP_URL);
const BFF_HEADERS = { 'x-bff-request': '1', Origin: APP_URL };
/** Text only the dashboard renders (the ID-token claims table). */
const DASHBOARD_MARKERS = ['Who you are', 'id-token-claims'];

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** Fills in the local IdP's login form (the page must be on it). */
async function submitCredentials(page: Page, user: 'alice' | 'bob'): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`^${IDP_URL}/interaction/`));
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(user);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Starts a login in `page` and stops it where the IdP sends the browser back to the app: the
 * callback URL (code, state, iss) is returned, and this browser never opens it.
 *
 * Playwright cannot intercept a redirect, and the IdP reaches the callback through redirects
 * (POST login → 303 resume → 303 callback). So the login form's POST, a navigation of its own, is
 * intercepted: it is sent for the browser, its redirects within the IdP are followed with this
 * browser's cookies, and the browser gets a 204 (no navigation) instead of the final redirect.
 */
async function stealCallback(page: Page, user: 'alice' | 'bob'): Promise<URL> {
  const isLoginPost = (url: URL) => url.origin === IDP_URL && /^\/interaction\/[\w-]+\/login$/.test(url.pathname);
  let settle!: { resolve: (url: URL) => void; reject: (err: unknown) => void };
  const captured = new Promise<URL>((resolve, reject) => (settle = { resolve, reject }));
  await page.route(isLoginPost, async (route) => {
    try {
      let location = (await route.fetch({ maxRedirects: 0 })).headers().location;
      for (let hop = 0; location && !location.startsWith(`${APP_URL}/auth/callback`) && hop < 5; hop++) {
        const next = await page.context().request.get(new URL(location, IDP_URL).href, { maxRedirects: 0 });
        location = next.headers().location;
      }
      if (!location?.startsWith(`${APP_URL}/auth/callback`)) throw new Error(`the IdP did not redirect to the callback: ${location}`);
      settle.resolve(new URL(location));
      await route.fulfill({ status: 204 });
    } catch (err) {
      settle.reject(err);
      await route.abort();
    }
  });
  await page.goto('/auth/login?returnTo=/dashboard');
  await submitCredentials(page, user);
  const url = await captured;
  await page.unroute(isLoginPost);
  expect(url.searchParams.get('code')).toBeTruthy();
  expect(url.searchParams.get('state')).toBeTruthy();
  expect(url.searchParams.get('iss')).toBe(IDP_URL);
  return url;
}

/** Starts a login in `page` (it stops on the IdP's login page) and returns its `state`. */
async function startLogin(page: Page): Promise<string> {
  const authorize = page.waitForRequest((r) => r.url().startsWith(`${IDP_URL}/auth?`));
  await page.goto('/auth/login?returnTo=/dashboard');
  const state = new URL((await authorize).url()).searchParams.get('state');
  await expect(page).toHaveURL(new RegExp(`^${IDP_URL}/interaction/`));
  expect(state).toBeTruthy();
  return state!;
}

/** Every response the app sends to this page; none may be a 5xx. */
function recordAppResponses(page: Page): Response[] {
  const responses: Response[] = [];
  page.on('response', (r) => {
    if (r.url().startsWith(APP_URL)) responses.push(r);
  });
  return responses;
}

function expectNo5xx(responses: Response[]): void {
  const failed = responses.filter((r) => r.status() >= 500).map((r) => `${r.status()} ${r.url()}`);
  expect(failed, 'responses with a 5xx status').toEqual([]);
}

/** The friendly error page for `reason`, with its reference and no stack trace. */
async function expectLoginError(page: Page, reason: LoginFailure): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`^${APP_URL}/auth/error\\?reason=${reason}&ref=[a-f0-9]{8}$`));
  await expect(page.getByRole('heading', { name: LOGIN_FAILURE_MESSAGES[reason].title })).toBeVisible();
  await expect(page.locator('body')).not.toContainText('Error:');
}

async function sessionCookie(context: BrowserContext): Promise<Cookie | undefined> {
  return (await context.cookies(APP_URL)).find((c) => c.name === SESSION_COOKIE);
}

async function expectSignedOut(context: BrowserContext): Promise<void> {
  expect(await sessionCookie(context), 'session cookie').toBeUndefined();
  // And the app agrees: the BFF has no session for this browser.
  const bff = await context.request.get(`${APP_URL}/bff/notes`, { headers: BFF_HEADERS, maxRedirects: 0 });
  expect(bff.status()).toBe(401);
}

/** A session cookie sealed as the app seals it, with any password. */
async function seal(data: object, secret = TEST_SESSION_SECRET): Promise<string> {
  return sealData(data, { password: (await passwordMaps(secret)).seal, ttl: 12 * 3600 });
}

/** A minimal HTTP/1.1 response as read off a socket (chunked bodies decoded). */
interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(body.subarray(at, eol).toString('latin1'), 16);
    if (!size) break;
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/**
 * A GET written byte for byte on a TCP socket: the request target reaches the server exactly
 * as written (an HTTP client would normalise `/_next/../dashboard` or `/./dashboard`).
 */
function rawGet(target: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(APP.port), APP.hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(15_000, () => socket.destroy(new Error(`timeout: GET ${target}`)));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, end < 0 ? all.length : end).toString('latin1').split('\r\n');
      const status = Number(head[0]?.split(' ')[1]);
      const fields: Record<string, string> = {};
      for (const line of head.slice(1)) {
        const colon = line.indexOf(':');
        fields[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const rawBody = end < 0 ? Buffer.alloc(0) : all.subarray(end + 4);
      const body = (fields['transfer-encoding'] === 'chunked' ? dechunk(rawBody) : rawBody).toString('utf8');
      resolve({ status, headers: fields, body });
    });
    const extra = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(`GET ${target} HTTP/1.1\r\nHost: ${APP.host}\r\nConnection: close\r\n${extra}\r\n`);
  });
}

/**
 * The attacker's site: another origin (127.0.0.1, another port; cross-site for the app's
 * cookies too). Its pages auto-submit forms to the app, or are blank pages to run fetch() from.
 */
async function startAttackerSite(): Promise<{ origin: string; close: () => Promise<void> }> {
  const page = (body: string) => `<!doctype html><html><head><title>attacker</title></head><body>${body}</body></html>`;
  const autoSubmit = (form: string) => page(`${form}<script>document.forms[0].submit()</script>`);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://attacker.invalid');
    const marker = (url.searchParams.get('marker') ?? '').replace(/[^\w-]/g, '');
    const pages: Record<string, string> = {
      '/blank': page('<h1>attacker</h1>'),
      '/logout-post': autoSubmit(
        `<form method="post" action="${APP_URL}/auth/logout"><input type="hidden" name="returnTo" value="/"></form>`,
      ),
      '/logout-get': page(`<script>location.href = ${JSON.stringify(`${APP_URL}/auth/logout`)}</script>`),
      // enctype=text/plain sends `{"text":"<marker>","x":"="}`: JSON, without a CORS preflight.
      '/bff-form': autoSubmit(
        `<form method="post" enctype="text/plain" action="${APP_URL}/bff/notes"><input type="hidden" name='{"text":"${marker}","x":"' value='"}'></form>`,
      ),
    };
    const body = pages[url.pathname];
    res.writeHead(body ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Requests the browser starts for a host other than the app and the IdP (evil.example above
 * all) are answered here, locally, and recorded: the tests assert that there were none.
 * Playwright cannot intercept redirects: those are checked through the Location headers and
 * the recorded navigation chain (recordNavigations).
 */
async function trapOffsiteRequests(context: BrowserContext): Promise<string[]> {
  const offsite: string[] = [];
  const local = new Set([APP.host, new URL(IDP_URL).host]);
  await context.route(
    (url) => !local.has(url.host),
    async (route) => {
      offsite.push(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>evil</h1>' });
    },
  );
  return offsite;
}

/** Every URL the page's main frame navigates to, redirects included. */
function recordNavigations(page: Page): string[] {
  const navigations: string[] = [];
  page.on('request', (r) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) navigations.push(r.url());
  });
  return navigations;
}

function expectOnlyAppAndIdp(navigations: string[]): void {
  const elsewhere = navigations.filter((u) => ![APP_URL, IDP_URL].includes(new URL(u).origin));
  expect(elsewhere, 'navigations that left the app and the IdP').toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Callback misuse
// ---------------------------------------------------------------------------------------------

test.describe('login callback misuse', () => {
  test('a completed callback URL cannot be replayed, in the same browser or another', async ({ page, context, browser }) => {
    const callbacks: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(`${APP_URL}/auth/callback?`)) callbacks.push(r.url());
    });
    await signIn(page, 'alice');
    await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');
    expect(callbacks).toHaveLength(1);
    const callback = callbacks[0]!;
    const url = new URL(callback);
    expect(url.searchParams.get('code')).toBeTruthy();
    expect(url.searchParams.get('iss')).toBe(IDP_URL);
    const before = await sessionCookie(context);
    expect(before).toBeDefined();

    // Same browser: its transaction cookie was used once and deleted, so this is refused.
    const responses = recordAppResponses(page);
    const replay = page.waitForResponse((r) => r.url() === callback);
    await page.goto(callback);
    const replayed = await replay;
    expect(replayed.status()).toBe(303);
    expect((await replayed.headerValue('set-cookie')) ?? '').not.toContain(SESSION_COOKIE);
    await expectLoginError(page, 'missing_transaction');
    // No new session: the one from the real login is untouched (same sealed value), still alice.
    expect((await sessionCookie(context))?.value).toBe(before!.value);
    expect((await readSession(context)).sub).toBe('alice');
    expectNo5xx(responses);

    // Another browser: no transaction, no session.
    const other = await browser.newContext();
    try {
      const victim = await other.newPage();
      const victimResponses = recordAppResponses(victim);
      await victim.goto(callback);
      await expectLoginError(victim, 'missing_transaction');
      await expectSignedOut(other);
      expectNo5xx(victimResponses);
    } finally {
      await other.close();
    }
  });

  test('login CSRF: a callback URL produced by the attacker’s login signs nobody in elsewhere', async ({ browser }) => {
    const attackerContext = await browser.newContext();
    const victimContext = await browser.newContext();
    try {
      // The attacker signs in as bob at the IdP, and keeps the callback URL instead of using it.
      const attacker = await attackerContext.newPage();
      const stolen = await stealCallback(attacker, 'bob');
      expect(await sessionCookie(attackerContext)).toBeUndefined();

      // The victim's browser is made to open it: it never started that login.
      const victim = await victimContext.newPage();
      const responses = recordAppResponses(victim);
      await victim.goto(stolen.href);
      await expectLoginError(victim, 'missing_transaction');
      await expectSignedOut(victimContext);

      // Same, while the victim has a login of its own in progress (a transaction for another state).
      await startLogin(victim);
      await victim.goto(stolen.href);
      await expectLoginError(victim, 'missing_transaction');
      await expectSignedOut(victimContext);
      await victim.goto('/');
      await expect(victim.getByRole('link', { name: 'Sign in' })).toBeVisible();
      expectNo5xx(responses);

      // The app never exchanged the code for the victim: the attacker's own browser still can.
      await attacker.goto(stolen.href);
      await expect(attacker).toHaveURL(`${APP_URL}/dashboard`);
      await expect(attacker.getByTestId('user-name')).toHaveText('Bob Builder');
      await expectSignedOut(victimContext);
    } finally {
      await attackerContext.close();
      await victimContext.close();
    }
  });

  test('code injection: another login’s code with this browser’s state fails PKCE; a foreign iss is refused', async ({ browser }) => {
    const attackerContext = await browser.newContext();
    const victimContext = await browser.newContext();
    try {
      const attacker = await attackerContext.newPage();
      const stolen = await stealCallback(attacker, 'bob');
      const code = stolen.searchParams.get('code')!;

      // The victim has its own transaction (state S_B, its own PKCE verifier and nonce).
      const victim = await victimContext.newPage();
      const responses = recordAppResponses(victim);
      const stateB = await startLogin(victim);
      expect(stateB).not.toBe(stolen.searchParams.get('state'));
      const injected = new URL('/auth/callback', APP_URL);
      injected.search = new URLSearchParams({ code, state: stateB, iss: IDP_URL }).toString();
      await victim.goto(injected.href);
      // state and iss match, so the code is sent to the token endpoint with B's code_verifier:
      // the IdP refuses it (PKCE, RFC 7636 §4.6).
      await expectLoginError(victim, 'token_request_failed');
      await expectSignedOut(victimContext);
      // The transaction was used up.
      expect((await victimContext.cookies()).filter((c) => c.name.includes(stateB))).toEqual([]);
      // The code itself was good (the IdP checks PKCE before it consumes a code): the browser
      // that holds the matching verifier redeems it. The refusal was the PKCE binding.
      await attacker.goto(stolen.href);
      await expect(attacker.getByTestId('user-name')).toHaveText('Bob Builder');
      await expectSignedOut(victimContext);

      // The same code, with the issuer of another authorization server (mix-up, RFC 9207).
      const stateB2 = await startLogin(victim);
      injected.search = new URLSearchParams({ code, state: stateB2, iss: 'http://evil.example' }).toString();
      await victim.goto(injected.href);
      await expectLoginError(victim, 'issuer_mismatch');
      await expectSignedOut(victimContext);
      expectNo5xx(responses);
    } finally {
      await attackerContext.close();
      await victimContext.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Open redirects through returnTo
// ---------------------------------------------------------------------------------------------

/**
 * `sameOrigin`: a same-origin path in disguise (percent-encoded slashes or backslash inside a
 * path): it may be kept, but must stay on the app. Every other payload is hostile and must be
 * replaced by the default destination.
 */
const RETURN_TO_PAYLOADS: { value: string; sameOrigin?: true }[] = [
  { value: '//evil.example' },
  { value: '/\\evil.example' },
  { value: 'https://evil.example' },
  { value: 'http:evil.example' },
  { value: '%2F%2Fevil.example' },
  { value: '/%2F%2Fevil.example', sameOrigin: true },
  { value: 'javascript:alert(1)' },
  { value: '/\tevil.example' },
  { value: '/\n/evil.example' },
  { value: '\\\\evil.example' },
  { value: '/..//evil.example' },
  { value: '/%2e%2e//evil.example' },
  { value: '/%5Cevil.example', sameOrigin: true },
  { value: '//%09/evil.example' },
  { value: '///evil.example' },
  { value: 'https:/\\evil.example' },
  { value: '%252F%252Fevil.example' },
];

/** How a payload is put in the URL: exactly (percent-encoded), or as typed in a link. */
const ENCODINGS = {
  encoded: encodeURIComponent,
  raw: (value: string) => value,
} as const;

test.describe('open redirects through returnTo', () => {
  for (const [encoding, encode] of Object.entries(ENCODINGS)) {
    test(`sign-in: every returnTo payload (${encoding}) ends on the app`, async ({ page, context }) => {
      const offsite = await trapOffsiteRequests(context);
      await signIn(page, 'alice', '/auth/login?returnTo=/dashboard');
      await expect(page).toHaveURL(`${APP_URL}/dashboard`);

      const navigations = recordNavigations(page);
      const responses = recordAppResponses(page);
      const results: string[] = [];
      for (const { value, sameOrigin } of RETURN_TO_PAYLOADS) {
        const label = JSON.stringify(value);
        navigations.length = 0;
        // The IdP session is still there: /auth/login → IdP → /auth/callback → returnTo, no form.
        const callback = page.waitForResponse((r) => r.url().startsWith(`${APP_URL}/auth/callback?`));
        await page.goto(`/auth/login?returnTo=${encode(value)}`);
        const location = new URL((await callback).headers().location!, APP_URL);
        const final = new URL(page.url());
        results.push(`${label} -> ${location.href} -> ${final.href}`);

        expect(location.origin, `callback Location for ${label}`).toBe(APP_URL);
        expect(final.origin, `final URL for ${label}`).toBe(APP_URL);
        if (encoding === 'encoded' && !sameOrigin) {
          expect(location.href, `callback Location for ${label}`).toBe(`${APP_URL}/`);
          expect(final.href, `final URL for ${label}`).toBe(`${APP_URL}/`);
        }
        // The chain: the app, the IdP, back to the app, and nowhere else.
        const hosts = navigations.map((u) => new URL(u).origin);
        expect(hosts.every((o) => o === APP_URL || o === IDP_URL), `${label}: ${navigations.join(' → ')}`).toBe(true);
        const back = navigations.findIndex((u) => u.startsWith(`${APP_URL}/auth/callback?`));
        expect(back, `${label}: the callback`).toBeGreaterThan(0);
        expect(hosts.slice(back).every((o) => o === APP_URL), `${label}: after the callback`).toBe(true);
      }
      test.info().annotations.push({ type: `sign-in returnTo (${encoding})`, description: results.join('\n') });
      expect(offsite, 'requests that left the app and the IdP').toEqual([]);
      expectNo5xx(responses);
    });
  }

  /**
   * Posts a sign-out form from one of the app's pages, as the sign-out button does (so Origin is
   * the app; /auth/* pages would not do: with their Referrer-Policy no-referrer, a form POST
   * from them is sent with `Origin: null`). Returns where the app finally redirects the browser:
   * the Location of /auth/logout/callback (after the IdP), or of /auth/logout (no session).
   */
  async function postSignOut(page: Page, fields: Record<string, string>, query = ''): Promise<URL> {
    const here = new URL(page.url());
    if (here.origin !== APP_URL || here.pathname.startsWith('/auth/')) await page.goto('/?start=1');
    const last = page.waitForResponse(
      (r) => r.url().startsWith(`${APP_URL}/auth/logout`) && r.status() === 303 && !r.headers().location?.startsWith(IDP_URL),
    );
    await page.evaluate(
      ({ fields, action }) => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = action;
        for (const [name, value] of Object.entries(fields)) {
          const input = document.createElement('input');
          input.type = 'hidden';
          input.name = name;
          input.value = value;
          form.append(input);
        }
        document.body.append(form);
        form.submit();
      },
      { fields, action: `/auth/logout${query}` },
    );
    return new URL((await last).headers().location!, APP_URL);
  }

  /**
   * After sign-out: a hostile returnTo lands exactly on the signed-out home page. A same-origin
   * one may be kept: the browser goes there (a protected path then sends it on to sign in).
   */
  async function expectSignedOutLanding(page: Page, label: string, location: URL, sameOrigin: boolean | undefined): Promise<void> {
    expect(location.origin, `Location for ${label}`).toBe(APP_URL);
    if (!sameOrigin) {
      // After the provider (`1`), or without it (`local`: no session here).
      expect(location.href, `Location for ${label}`).toMatch(new RegExp(`^${APP_URL}/\\?signedOut=(1|local)$`));
      await expect(page).toHaveURL(location.href);
      await expect(page.getByRole('status')).toContainText('signed out');
    } else {
      await page.waitForURL((url) => url.href === location.href || url.href.startsWith(`${IDP_URL}/interaction/`));
    }
  }

  /**
   * The session cookie of a real sign-in, made in a browser of its own: a browser it is added to
   * has no session at the IdP, so the IdP ends the (absent) session without asking and sends the
   * browser straight on to /auth/logout/callback.
   */
  async function realSessionCookie(browser: Browser): Promise<Cookie> {
    const source = await browser.newContext();
    try {
      const page = await source.newPage();
      await signIn(page, 'alice');
      await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');
      return (await sessionCookie(source))!;
    } finally {
      await source.close();
    }
  }

  test('sign-out: every returnTo payload ends on the app, through the IdP’s RP-initiated logout', async ({ page, context, browser }) => {
    // A real session, from a real sign-in in another browser; this one has no IdP session, so
    // the IdP confirms the logout by itself and sends the browser to /auth/logout/callback.
    const session = await realSessionCookie(browser);
    const offsite = await trapOffsiteRequests(context);
    const navigations = recordNavigations(page);
    const responses = recordAppResponses(page);
    const results: string[] = [];
    for (const { value, sameOrigin } of RETURN_TO_PAYLOADS) {
      const label = JSON.stringify(value);
      await context.addCookies([session]);
      const idp: string[] = [];
      const onRequest = (r: { url: () => string }) => {
        if (r.url().startsWith(`${IDP_URL}/session/end`)) idp.push(r.url());
      };
      page.on('request', onRequest);
      const location = await postSignOut(page, { returnTo: value });
      page.off('request', onRequest);
      expect(idp.length, `${label}: RP-initiated logout at the IdP`).toBeGreaterThan(0);
      await expectSignedOutLanding(page, label, location, sameOrigin);
      results.push(`${label} -> ${location.href} -> ${page.url()}`);
      expect(await sessionCookie(context), `session after sign-out (${label})`).toBeUndefined();
    }
    test.info().annotations.push({ type: 'sign-out returnTo (via IdP)', description: results.join('\n') });
    expect(offsite, 'requests that left the app and the IdP').toEqual([]);
    expectOnlyAppAndIdp(navigations);
    expectNo5xx(responses);
  });

  test('sign-out returns to a same-origin returnTo exactly as given, percent-encoding included', async ({ page, context, browser }) => {
    const returnTo = '/?next=%2Fdashboard%3Fa%3D1%26b%3D2&discount=100%25';
    // Without a session, /auth/logout redirects straight there.
    expect((await postSignOut(page, { returnTo })).href).toBe(`${APP_URL}${returnTo}`);
    await expect(page).toHaveURL(`${APP_URL}${returnTo}`);

    // Through the IdP, returnTo waits in the logout-state cookie. Next merges that cookie with
    // the one endSession() writes through cookies() and loses a level of percent-encoding on
    // the way; the value is an iron seal (lib/cookies/seal.ts), which needs no encoding.
    await context.addCookies([await realSessionCookie(browser)]);
    const location = await postSignOut(page, { returnTo });
    expect(location.href, 'Location of /auth/logout/callback').toBe(`${APP_URL}${returnTo}`);
    await expect(page).toHaveURL(`${APP_URL}${returnTo}`);
  });

  for (const via of ['form field', 'query'] as const) {
    test(`sign-out without a session: returnTo as ${via} goes straight to a same-origin page`, async ({ page, context }) => {
      const offsite = await trapOffsiteRequests(context);
      const navigations = recordNavigations(page);
      const responses = recordAppResponses(page);
      for (const { value, sameOrigin } of RETURN_TO_PAYLOADS) {
        const label = `${JSON.stringify(value)} (${via})`;
        const location =
          via === 'form field' ? await postSignOut(page, { returnTo: value }) : await postSignOut(page, {}, `?returnTo=${encodeURIComponent(value)}`);
        await expectSignedOutLanding(page, label, location, sameOrigin);
      }
      expect(offsite, 'requests that left the app').toEqual([]);
      expectOnlyAppAndIdp(navigations);
      expectNo5xx(responses);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Requests from another origin: forged sign-out, BFF
// ---------------------------------------------------------------------------------------------

test.describe('requests from another origin', () => {
  let attacker: Awaited<ReturnType<typeof startAttackerSite>>;
  test.beforeAll(async () => {
    attacker = await startAttackerSite();
  });
  test.afterAll(async () => {
    await attacker.close();
  });

  test('a cross-site sign-out POST and a GET /auth/logout leave the user signed in', async ({ page, context }) => {
    await signIn(page, 'alice');
    await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');
    const before = await readSession(context);

    // The attacker's page auto-submits a form to /auth/logout: refused, 403.
    const forged = page.waitForResponse((r) => r.url() === `${APP_URL}/auth/logout`);
    await page.goto(`${attacker.origin}/logout-post`);
    const post = await forged;
    expect(post.request().method()).toBe('POST');
    expect(post.request().headers().origin).toBe(attacker.origin);
    expect(post.status()).toBe(403);
    expect((await post.headerValue('set-cookie')) ?? '').toBe('');

    // A top-level GET from the attacker's page (this one carries the Lax cookie): 405.
    const navigated = page.waitForResponse((r) => r.url() === `${APP_URL}/auth/logout`);
    await page.goto(`${attacker.origin}/logout-get`);
    const get = await navigated;
    expect(get.request().method()).toBe('GET');
    expect(get.status()).toBe(405);
    expect((await get.headerValue('set-cookie')) ?? '').toBe('');

    // With the session cookie attached (as if SameSite did not apply), the Origin still decides.
    const withCookie = await context.request.post(`${APP_URL}/auth/logout`, { headers: { Origin: attacker.origin }, maxRedirects: 0 });
    expect(withCookie.status()).toBe(403);

    // Still signed in, with the same session.
    await page.goto('/dashboard');
    await expect(page).toHaveURL(`${APP_URL}/dashboard`);
    await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');
    const after = await readSession(context);
    expect(after.refreshToken).toBe(before.refreshToken);
    expect(after.createdAt).toBe(before.createdAt);
  });

  test('a page on another origin can neither read nor write through the BFF', async ({ page, context }) => {
    await signIn(page, 'alice');
    await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');
    const marker = `pwned-${Date.now().toString(36)}`;
    const ownNotes = async () => {
      const response = await context.request.get(`${APP_URL}/bff/notes`, { headers: BFF_HEADERS });
      expect(response.status()).toBe(200);
      return (await response.json()) as { sub: string; notes: { text: string }[] };
    };
    const notesBefore = await ownNotes();
    expect(notesBefore.sub).toBe('alice');

    // The app grants no CORS: a preflight gets no Access-Control-Allow-* headers.
    const preflight = await context.request.fetch(`${APP_URL}/bff/notes`, {
      method: 'OPTIONS',
      headers: { Origin: attacker.origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'x-bff-request' },
    });
    expect(preflight.status()).toBeLessThan(500);
    expect(Object.keys(preflight.headers()).filter((h) => h.startsWith('access-control-'))).toEqual([]);

    const evil = await context.newPage();
    await evil.goto(`${attacker.origin}/blank`);
    const crossOriginFetch = (init: RequestInit) =>
      evil.evaluate(
        async ({ url, init }) => {
          try {
            const response = await fetch(url, init);
            return { status: response.status, type: response.type, body: await response.text() };
          } catch (err) {
            return { error: String(err) };
          }
        },
        { url: `${APP_URL}/bff/notes`, init },
      );

    // With the BFF header: a preflighted request; the preflight fails, nothing is readable.
    const read = await crossOriginFetch({ credentials: 'include', headers: { 'x-bff-request': '1' } });
    expect(read).toEqual({ error: expect.stringContaining('Failed to fetch') });
    const write = await crossOriginFetch({
      method: 'POST',
      credentials: 'include',
      headers: { 'x-bff-request': '1', 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: marker }),
    });
    expect(write).toEqual({ error: expect.stringContaining('Failed to fetch') });
    // Without CORS (no header, a "simple" request): the request is sent, and refused with 403.
    const simple = evil.waitForResponse((r) => r.url() === `${APP_URL}/bff/notes` && r.request().method() === 'POST');
    const opaque = await crossOriginFetch({ method: 'POST', mode: 'no-cors', credentials: 'include', body: JSON.stringify({ text: marker }) });
    expect(opaque).toEqual({ status: 0, type: 'opaque', body: '' });
    expect((await simple).status()).toBe(403);
    // A cross-site form posting JSON-looking text/plain: a top-level navigation, refused with 403.
    const form = evil.waitForResponse((r) => r.url() === `${APP_URL}/bff/notes`);
    await evil.goto(`${attacker.origin}/bff-form?marker=${marker}`);
    expect((await form).status()).toBe(403);

    // Alice's notes are unchanged: the marker was never written.
    const notesAfter = await ownNotes();
    expect(JSON.stringify(notesAfter)).not.toContain(marker);
    for (const note of notesBefore.notes) expect(notesAfter.notes).toContainEqual(note);
  });
});

// ---------------------------------------------------------------------------------------------
// Bad session cookies
// ---------------------------------------------------------------------------------------------

/** Replaces the character at `index` by another base64url character. */
function flip(value: string, index: number): string {
  const c = value[index]!;
  return `${value.slice(0, index)}${c === 'A' ? 'B' : 'A'}${value.slice(index + 1)}`;
}

test('bad session cookies: sign-in redirects, signed-out pages and 401s, never a 5xx', async ({ page, context, browser }) => {
  await signIn(page, 'alice');
  await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');
  const real = (await sessionCookie(context))!.value;
  const session: Session = await readSession(context);
  const now = Math.floor(Date.now() / 1000);
  // Fe26.2*<password id>*<salt>*<iv>*<ciphertext>*<expiry>*<hmac salt>*<hmac>~2
  const parts = real.split('*');
  const cipherAt = parts.slice(0, 4).join('*').length + 1 + Math.floor(parts[4]!.length / 2);

  // An iron seal whose own expiry (the ttl) has passed, sealed 13 hours ago.
  const realNow = Date.now;
  let ironExpired: string;
  try {
    Date.now = () => realNow() - 13 * 3600 * 1000;
    ironExpired = await seal({ ...session, createdAt: now - 13 * 3600, lastSeenAt: now - 13 * 3600 });
  } finally {
    Date.now = realNow;
  }

  const cases: Record<string, string> = {
    'tampered ciphertext': flip(real, cipherAt),
    'tampered hmac': flip(real, real.length - 5),
    'tampered expiry': real.replace(`*${parts[5]}*`, `*${Number(parts[5]) + 86_400_000}*`),
    truncated: real.slice(0, -10),
    'expired (createdAt 13 h ago)': await seal({ ...session, createdAt: now - 13 * 3600 }),
    'idle (lastSeenAt 2 h ago)': await seal({ ...session, lastSeenAt: now - 2 * 3600 }),
    'expired iron seal': ironExpired,
    'sealed with another secret': await seal(session, 'another-secret-that-is-32-characters-long!!'),
    'valid seal, wrong shape': await seal({ sub: 'alice', admin: true }),
    garbage: 'not-a-session',
    'garbage seal': 'Fe26.2*1*aaaa*bbbb*cccc*9999999999999*dddd*eeee~2',
    'bad percent-encoding': 'Fe26.2*%E0%A4%A*x',
    'oversized (5000 chars)': `${real}${'A'.repeat(5000)}`.slice(0, 5000),
    empty: '',
  };

  // The control: the real cookie opens the dashboard.
  const control = await fetch(`${APP_URL}/dashboard`, { headers: { Cookie: `${SESSION_COOKIE}=${real}` }, redirect: 'manual' });
  expect(control.status).toBe(200);
  expect(await control.text()).toContain('Who you are');

  /**
   * Cookies the app reads as "no cookie": an empty value, and one that does not percent-decode
   * (Next's cookie parser drops it). Nothing is deleted, and the next sign-in overwrites them.
   */
  const KEPT = new Set(['empty', 'bad percent-encoding']);
  const report: string[] = [];
  for (const [name, value] of Object.entries(cases)) {
    const headers = { Cookie: `${SESSION_COOKIE}=${value}` };
    const get = (path: string, extra: Record<string, string> = {}) => fetch(`${APP_URL}${path}`, { headers: { ...headers, ...extra }, redirect: 'manual' });

    const dashboard = await get('/dashboard');
    const home = await get('/');
    const bff = await get('/bff/notes', BFF_HEADERS);
    const refresh = await get('/auth/refresh?returnTo=/dashboard');
    report.push(`${name}: /dashboard ${dashboard.status}, / ${home.status}, /bff/notes ${bff.status}, /auth/refresh ${refresh.status}`);

    for (const r of [dashboard, home, bff, refresh]) expect(r.status, `${name}: ${r.url}`).toBeLessThan(500);
    expect(dashboard.status, name).toBe(307);
    expect(dashboard.headers.get('location'), name).toBe('/auth/login?returnTo=%2Fdashboard');
    const deletion = dashboard.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (KEPT.has(name)) {
      // The app never sees these as a session cookie at all (see KEPT).
      expect(deletion, `${name}: nothing to delete`).toBeUndefined();
    } else {
      // The guard deletes the bad cookie: empty, expired, with the attributes __Host- needs.
      expect(deletion, `${name}: Set-Cookie deleting the session`).toBeDefined();
      expect(deletion!).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
      expect(deletion!).toMatch(/Expires=Thu, 01 Jan 1970 00:00:00 GMT|Max-Age=0/i);
      expect(deletion!).toMatch(/;\s*Path=\/(;|$)/i);
      expect(deletion!).toMatch(/;\s*Secure(;|$)/i);
      expect(deletion!).not.toMatch(/Domain=/i);
    }

    expect(home.status, name).toBe(200);
    const homeHtml = await home.text();
    expect(homeHtml, name).toContain('href="/auth/login?returnTo=%2Fdashboard"');
    expect(homeHtml, name).not.toContain('Sign out');

    expect(bff.status, name).toBe(401);
    expect(bff.headers.get('content-type'), name).toContain('application/json');
    expect(await bff.json(), name).toMatchObject({ error: 'signed_out' });

    expect(refresh.status, name).toBe(303);
    expect(refresh.headers.get('location'), name).toBe(`${APP_URL}/auth/login?returnTo=%2Fdashboard`);
  }
  test.info().annotations.push({ type: 'bad session cookies', description: report.join('\n') });

  // In a browser (without an IdP session, so the IdP asks for credentials): a tampered cookie
  // sends the user to sign in, and is gone afterwards.
  const cookie = (await sessionCookie(context))!;
  const other = await browser.newContext();
  try {
    await other.addCookies([{ ...cookie, value: cases['tampered ciphertext']! }]);
    expect((await sessionCookie(other))?.value).toBe(cases['tampered ciphertext']);
    const victim = await other.newPage();
    await victim.goto('/dashboard');
    await expect(victim).toHaveURL(new RegExp(`^${IDP_URL}/interaction/`));
    await expect(victim.getByLabel('Password')).toBeVisible();
    expect(await sessionCookie(other)).toBeUndefined();
  } finally {
    await other.close();
  }
});

// ---------------------------------------------------------------------------------------------
// Guard bypass attempts
// ---------------------------------------------------------------------------------------------

interface Attempt {
  name: string;
  target: string;
  headers?: Record<string, string>;
}

const MIDDLEWARE_SUBREQUEST = [
  'middleware',
  'middleware:middleware:middleware:middleware:middleware',
  'src/middleware',
  'src/middleware:src/middleware:src/middleware:src/middleware:src/middleware',
  'pages/_middleware',
];

const BYPASS_ATTEMPTS: Attempt[] = [
  { name: 'control', target: '/dashboard' },
  ...MIDDLEWARE_SUBREQUEST.map((value) => ({ name: `x-middleware-subrequest: ${value}`, target: '/dashboard', headers: { 'x-middleware-subrequest': value } })),
  ...[
    '/DASHBOARD',
    '/Dashboard',
    '/dashboard/',
    '/dashboard%2f',
    '/%2fdashboard',
    '/_next/../dashboard',
    '/_next/%2e%2e/dashboard',
    '/dashboard.',
    '/dashboard;',
    '/dashboard;a=b',
    '/dashboard%00',
    '/./dashboard',
    '//dashboard',
    '/dashboard?__nextDataReq=1',
    '/_next/data/x/dashboard.json',
    // Paths a guard that matches on prefixes could wave through, if the router then normalised them.
    '/api/../dashboard',
    '/auth/error/../../dashboard',
    '/bff/%2e%2e/dashboard',
    '/auth/..%2fdashboard',
    '/_next/static/../../dashboard',
    '/_next/static/%2e%2e/%2e%2e/dashboard',
    '/favicon.ico/../dashboard',
    '/dashboard.rsc',
  ].map((target) => ({ name: target, target })),
  { name: 'RSC + Next-Router-Prefetch', target: '/dashboard', headers: { RSC: '1', 'Next-Router-Prefetch': '1' } },
  { name: 'RSC', target: '/dashboard?_rsc=1', headers: { RSC: '1' } },
  { name: 'x-matched-path: /', target: '/dashboard', headers: { 'x-matched-path': '/' } },
];

/**
 * Follows redirects while they stay on the app (the IdP's sign-in page is not the app's
 * business, and is slow to render 30 times). Returns the last response and a summary.
 */
async function followWithinApp(
  api: APIRequestContext,
  target: string,
  headers: Record<string, string>,
): Promise<{ response: APIResponse; body: string; end: string }> {
  let url = `${APP_URL}${target}`;
  const hops: number[] = [];
  for (;;) {
    const response = await api.get(url, { headers, maxRedirects: 0 });
    const body = await response.text();
    hops.push(response.status());
    const location = response.headers().location;
    const next = location ? new URL(location, url) : undefined;
    if (!next || next.origin !== APP_URL || hops.length >= 10) {
      const path = new URL(url).pathname;
      const end = `${hops.join(' → ')} at ${path}${next && next.origin !== APP_URL ? ` → ${next.origin}${next.pathname}` : ''}`;
      return { response, body, end };
    }
    url = next.href;
  }
}

/** Statuses that keep the dashboard out of reach: a redirect (to sign in), a 400 or a 404. */
const REFUSALS = [307, 308, 400, 404];

test('guard bypass attempts without a session never reach the dashboard', async ({ playwright }) => {
  const api = await playwright.request.newContext();
  const rows: string[] = ['| attempt | raw socket | HTTP client, no redirects | HTTP client, following redirects (statuses, where it ends) |', '|---|---|---|---|'];
  const redirectOf = (headers: Record<string, string>) => headers.location ?? headers['x-nextjs-redirect'];
  try {
    const results = await Promise.all(
      BYPASS_ATTEMPTS.map(async ({ name, target, headers = {} }) => {
        const [raw, direct, followed] = await Promise.all([
          rawGet(target, headers),
          api.get(`${APP_URL}${target}`, { headers, maxRedirects: 0 }),
          followWithinApp(api, target, headers),
        ]);
        return { name, raw, direct, directBody: await direct.text(), followed: followed.response, followedBody: followed.body, end: followed.end };
      }),
    );
    for (const { name, raw, direct, end } of results) {
      const rawLocation = redirectOf(raw.headers);
      const directLocation = redirectOf(direct.headers());
      rows.push(
        `| \`${name}\` | ${raw.status}${rawLocation ? ` → ${rawLocation}` : ''} | ${direct.status()}${directLocation ? ` → ${directLocation}` : ''} | ${end} |`,
      );
    }
    for (const { name, raw, direct, directBody, followed, followedBody } of results) {
      for (const [how, status, body] of [
        ['raw', raw.status, raw.body],
        ['direct', direct.status(), directBody],
        ['followed', followed.status(), followedBody],
      ] as const) {
        for (const marker of DASHBOARD_MARKERS) expect(body, `${name} (${how}) must not render the dashboard`).not.toContain(marker);
        expect(status, `${name} (${how})`).toBeLessThan(500);
      }
      expect(REFUSALS, `${name} (raw): ${raw.status}`).toContain(raw.status);
      expect(REFUSALS, `${name} (no redirects): ${direct.status()}`).toContain(direct.status());
      // A redirect goes to sign in, or to a canonical form of the path that is itself guarded.
      for (const location of [redirectOf(raw.headers), redirectOf(direct.headers())]) {
        if (!location) continue;
        const to = new URL(location, APP_URL);
        expect(to.origin, `${name}: redirect target`).toBe(APP_URL);
        expect(['/auth/login', '/dashboard', '/_next/data/x/auth/login.json'], `${name}: redirect to ${to.pathname}`).toContain(to.pathname);
      }
      // Followed through the app: it ends by sending the browser to the IdP to sign in, or with
      // no page at all (404, a prefetch's 204...); never a 200 of the app.
      expect(followed.status(), `${name}: ${followed.url()}`).not.toBe(200);
      if (followed.status() >= 300 && followed.status() < 400) {
        const to = redirectOf(followed.headers()) ?? '';
        expect(to.startsWith(`${IDP_URL}/auth?`) || to.startsWith('/_next/data/x/auth/login.json?'), `${name}: ends redirecting to ${to}`).toBe(true);
      }
    }
  } finally {
    await api.dispose();
    console.log(`\nGuard bypass attempts (no session):\n${rows.join('\n')}\n`);
    await test.info().attach('guard-bypass.md', { body: rows.join('\n'), contentType: 'text/markdown' });
  }
});
