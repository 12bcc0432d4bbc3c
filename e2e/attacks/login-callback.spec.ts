/**
 * Misuse of the login callback, end to end in Chromium against the production build and the local
 * IdP: a completed callback URL replayed, in the same browser and in another; login CSRF (the
 * callback URL of the attacker's own login, opened in the victim's browser, with and without a
 * login of its own in progress); and authorization-code injection (another login's code with this
 * browser's state fails PKCE, RFC 7636; with the issuer of another server it is refused,
 * RFC 9207). Nobody may end up signed in, and no response may be a 5xx.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { LOGIN_FAILURE_MESSAGES, type LoginFailure } from '../../lib/client/errors';
import { APP_URL, IDP_URL, SESSION_COOKIE } from '../env';
import { readSession, signIn } from '../helpers';
import { BFF_HEADERS, expectNo5xx, recordAppResponses, sessionCookie } from './helpers';

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
  const isLoginPost = (url: URL) =>
    url.origin === IDP_URL && /^\/interaction\/[\w-]+\/login$/.test(url.pathname);
  let settle!: { resolve: (url: URL) => void; reject: (err: unknown) => void };
  const captured = new Promise<URL>((resolve, reject) => (settle = { resolve, reject }));
  await page.route(isLoginPost, async (route) => {
    try {
      let location = (await route.fetch({ maxRedirects: 0 })).headers().location;
      for (
        let hop = 0;
        location && !location.startsWith(`${APP_URL}/auth/callback`) && hop < 5;
        hop++
      ) {
        const next = await page
          .context()
          .request.get(new URL(location, IDP_URL).href, { maxRedirects: 0 });
        location = next.headers().location;
      }
      if (!location?.startsWith(`${APP_URL}/auth/callback`))
        throw new Error(`the IdP did not redirect to the callback: ${location}`);
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

/** The friendly error page for `reason`, with its reference and no stack trace. */
async function expectLoginError(page: Page, reason: LoginFailure): Promise<void> {
  await expect(page).toHaveURL(
    new RegExp(`^${APP_URL}/auth/error\\?reason=${reason}&ref=[a-f0-9]{8}$`),
  );
  await expect(
    page.getByRole('heading', { name: LOGIN_FAILURE_MESSAGES[reason].title }),
  ).toBeVisible();
  await expect(page.locator('body')).not.toContainText('Error:');
}

async function expectSignedOut(context: BrowserContext): Promise<void> {
  expect(await sessionCookie(context), 'session cookie').toBeUndefined();
  // And the app agrees: the BFF has no session for this browser.
  const bff = await context.request.get(`${APP_URL}/bff/notes`, {
    headers: BFF_HEADERS,
    maxRedirects: 0,
  });
  expect(bff.status()).toBe(401);
}

// ---------------------------------------------------------------------------------------------
// Callback misuse
// ---------------------------------------------------------------------------------------------

test.describe('login callback misuse', () => {
  test('a completed callback URL cannot be replayed, in the same browser or another', async ({
    page,
    context,
    browser,
  }) => {
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

  test('login CSRF: a callback URL produced by the attacker’s login signs nobody in elsewhere', async ({
    browser,
  }) => {
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

  test('code injection: another login’s code with this browser’s state fails PKCE; a foreign iss is refused', async ({
    browser,
  }) => {
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
      injected.search = new URLSearchParams({
        code,
        state: stateB2,
        iss: 'http://evil.example',
      }).toString();
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
