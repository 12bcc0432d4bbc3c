/**
 * Store mode (SESSION_STORE=redis): the tokens live in Redis (a real redis-server, started by
 * playwright.config.ts), and the cookie holds only a sealed session id. Signing out deletes the
 * session there, so a copy of the cookie taken before is refused by every page, route handler,
 * BFF call and /auth/refresh. Cookie mode, for contrast, cannot do that (docs/sessions.md).
 */
import { expect, test, type Browser, type BrowserContext } from '@playwright/test';
import { unsealData } from 'iron-session';
import { passwordMaps } from '../../lib/cookies/seal';
import { createClient } from 'redis';
import { createHash } from 'node:crypto';
import {
  APP_URL,
  IDP_URL,
  SESSION_COOKIE,
  STORE_APP_LOG,
  STORE_APP_URL,
  STORE_APP_URL_2,
  STORE_REDIS_PORT,
  TEST_SESSION_SECRET,
} from '../env';
import { waitForLogLine } from '../app-log';
import { refreshesAtProvider, signIn } from '../helpers';

// One at a time: "sign out everywhere" ends every alice session in this Redis.
test.describe.configure({ mode: 'serial' });

const BFF = { 'x-bff-request': '1', 'Sec-Fetch-Site': 'same-origin' };

/** The session cookie's value in this browser. */
async function cookieOf(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
  expect(cookie, 'session cookie').toBeDefined();
  return cookie!.value;
}

/** What a request carrying only `cookie` gets from each kind of endpoint, without following redirects. */
async function withCookie(origin: string, cookie: string) {
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${origin}${path}`, {
      headers: { Cookie: `${SESSION_COOKIE}=${cookie}`, ...headers },
      redirect: 'manual',
    });
  const [dashboard, bff, refresh] = await Promise.all([
    get('/dashboard'),
    get('/bff/notes', BFF),
    get('/auth/refresh?returnTo=/dashboard'),
  ]);
  return {
    dashboard: {
      status: dashboard.status,
      location: dashboard.headers.get('location'),
      body: await dashboard.text(),
    },
    bff: { status: bff.status, body: (await bff.json().catch(() => null)) as unknown },
    refresh: { status: refresh.status, location: refresh.headers.get('location') },
  };
}

async function signedInAt(browser: Browser, user: 'alice' | 'bob', origin = STORE_APP_URL) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, user, `${origin}/dashboard`);
  await expect(page).toHaveURL(`${origin}/dashboard`);
  await expect(page.getByTestId('api-me-status')).toHaveText('200');
  return { context, page };
}

test('store mode: the cookie holds a session id, not a token; sign-out deletes the session, so a copied cookie is refused everywhere', async ({
  browser,
}) => {
  const { context, page } = await signedInAt(browser, 'alice');
  const cookie = await cookieOf(context);

  // The cookie: a sealed pointer, small, and no token inside.
  const size = SESSION_COOKIE.length + 1 + cookie.length;
  test
    .info()
    .annotations.push({ type: 'store-mode session cookie bytes', description: String(size) });
  console.log(`store-mode session cookie: ${size} bytes`);
  expect(size).toBeLessThan(600);
  const content = await unsealData<Record<string, unknown>>(cookie, {
    password: (await passwordMaps(TEST_SESSION_SECRET)).open,
  });
  expect(Object.keys(content).sort()).toEqual(['createdAt', 'lastSeenAt', 'sid', 'sub']);

  // The control: before sign-out, the copied cookie works everywhere.
  const before = await withCookie(STORE_APP_URL, cookie);
  expect(before.dashboard.status).toBe(200);
  expect(before.dashboard.body).toContain('Who you are');
  expect(before.bff.status).toBe(200);

  // Sign out (RP-initiated logout at the local IdP, then back).
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`^${IDP_URL}/session/end`));
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await expect(page).toHaveURL(`${STORE_APP_URL}/?signedOut=1`);

  // The copy is refused: the page sends it to sign in (the Edge guard let it through: it checks
  // only the seal), the BFF answers 401, and /auth/refresh does not revive it.
  const after = await withCookie(STORE_APP_URL, cookie);
  expect(after.dashboard.status).toBe(307);
  expect(after.dashboard.location).toContain('/auth/login?returnTo=%2Fdashboard');
  expect(after.dashboard.body).not.toContain('Who you are');
  expect(after.bff).toEqual({
    status: 401,
    body: expect.objectContaining({ error: 'signed_out' }),
  });
  expect(after.refresh.status).toBe(303);
  expect(after.refresh.location).toBe(`${STORE_APP_URL}/auth/login?returnTo=%2Fdashboard`);
  await context.close();
});

test('store mode: "Sign out everywhere" ends every session of the user, on every device, and no one else\'s', async ({
  browser,
}) => {
  const laptop = await signedInAt(browser, 'alice');
  const phone = await signedInAt(browser, 'alice');
  const bob = await signedInAt(browser, 'bob');
  const phoneCookie = await cookieOf(phone.context);
  const bobCookie = await cookieOf(bob.context);
  expect((await withCookie(STORE_APP_URL, phoneCookie)).dashboard.status).toBe(200);

  await laptop.page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(laptop.page).toHaveURL(new RegExp(`^${IDP_URL}/session/end`));

  // The phone's session is gone although its browser still holds the cookie.
  const phoneAfter = await withCookie(STORE_APP_URL, phoneCookie);
  expect(phoneAfter.dashboard.status).toBe(307);
  expect(phoneAfter.bff.status).toBe(401);
  // bob is untouched.
  expect((await withCookie(STORE_APP_URL, bobCookie)).dashboard.status).toBe(200);
  for (const s of [laptop, phone, bob]) await s.context.close();
});

test('cookie mode, for contrast: a copy of the cookie taken before sign-out still opens pages (documented in docs/sessions.md)', async ({
  browser,
}) => {
  const { context, page } = await signedInAt(browser, 'alice', APP_URL);
  const cookie = await cookieOf(context);
  // No "Sign out everywhere" in cookie mode: there is nothing on the server to end.
  await expect(page.getByRole('button', { name: 'Sign out everywhere' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await expect(page).toHaveURL(`${APP_URL}/?signedOut=1`);
  // The browser's cookie is deleted, but the copy is still a valid seal until it expires.
  expect((await context.cookies()).map((c) => c.name)).not.toContain(SESSION_COOKIE);
  expect((await withCookie(APP_URL, cookie)).dashboard.status).toBe(200);
  await context.close();
});

test('store mode: a store that hangs is a 503 for the BFF and a 503 page for pages, within the time limit, never "signed in" and never a 500', async ({
  browser,
}) => {
  const { context } = await signedInAt(browser, 'alice');
  const cookie = await cookieOf(context);
  const admin = createClient({ url: `redis://127.0.0.1:${STORE_REDIS_PORT}` });
  await admin.connect();
  try {
    // Redis stops answering for 4 s (longer than the store's 2 s limit per call).
    const sleeping = admin.sendCommand(['DEBUG', 'SLEEP', '4']);
    await new Promise((r) => setTimeout(r, 200));
    const started = performance.now();
    const during = await withCookie(STORE_APP_URL, cookie);
    const ms = performance.now() - started;
    test.info().annotations.push({
      type: 'answered during the outage after',
      description: `${Math.round(ms)} ms`,
    });
    expect(ms).toBeLessThan(3_500);
    expect(during.bff).toEqual({
      status: 503,
      body: expect.objectContaining({ error: 'session_store_unavailable' }),
    });
    expect(during.dashboard.status).toBe(307);
    expect(during.dashboard.location).toBe('/auth/unavailable');
    expect(during.refresh.location).toBe(`${STORE_APP_URL}/auth/unavailable`);
    // The page it leads to: a real 503, with Retry-After, never cached.
    const page = await fetch(`${STORE_APP_URL}/auth/unavailable`);
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('5');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(await page.text()).toContain('Sessions are unavailable right now');
    await sleeping;
  } finally {
    await admin.close();
  }
  // Once it answers again, the session is there, unchanged.
  expect((await withCookie(STORE_APP_URL, cookie)).dashboard.status).toBe(200);
  await context.close();
});

test('store mode, two instances sharing Redis: 20 parallel requests with an expired access token, spread over both, cause exactly one refresh at the IdP; all succeed; no sign-out', async ({
  browser,
}) => {
  const { context } = await signedInAt(browser, 'alice');
  const cookie = await cookieOf(context);
  const { sid } = await unsealData<{ sid: string }>(cookie, {
    password: (await passwordMaps(TEST_SESSION_SECRET)).open,
  });
  const key = `nor:s:${createHash('sha256').update(sid).digest('hex')}`;
  const admin = createClient({ url: `redis://127.0.0.1:${STORE_REDIS_PORT}` });
  await admin.connect();
  try {
    // Both instances warm (routes loaded, store connected), so that they really race.
    for (const origin of [STORE_APP_URL, STORE_APP_URL_2]) {
      for (let i = 0; i < 3; i++)
        expect(
          (
            await fetch(`${origin}/bff/notes`, {
              headers: { Cookie: `${SESSION_COOKIE}=${cookie}`, ...BFF },
            })
          ).status,
        ).toBe(200);
    }
    // The stored access token made to look expired (received ten minutes ago).
    const before = JSON.parse((await admin.get(key))!) as {
      refreshToken: string;
      accessToken: string;
    };
    const now = Math.floor(Date.now() / 1000);
    await admin.set(
      key,
      JSON.stringify({ ...before, accessTokenExpiresAt: now - 10, tokensReceivedAt: now - 600 }),
      { expiration: 'KEEPTTL' },
    );

    const requests = Array.from({ length: 20 }, (_, i) =>
      fetch(`${i % 2 ? STORE_APP_URL_2 : STORE_APP_URL}/bff/notes`, {
        headers: { Cookie: `${SESSION_COOKIE}=${cookie}`, ...BFF },
      }),
    );
    const statuses = (await Promise.all(requests)).map((r) => r.status);
    test.info().annotations.push({
      type: 'refresh race',
      description: `20 requests over 2 instances: ${JSON.stringify(statuses)}`,
    });
    expect(statuses).toEqual(Array(20).fill(200));

    // The provider saw the old refresh token exactly once (reuse would have revoked the grant).
    expect(await refreshesAtProvider(before.refreshToken)).toEqual({ success: 1, error: 0 });
    const after = JSON.parse((await admin.get(key))!) as {
      refreshToken: string;
      accessToken: string;
    };
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
  } finally {
    await admin.close();
  }
  // Still signed in, on both instances.
  expect((await withCookie(STORE_APP_URL, cookie)).dashboard.status).toBe(200);
  expect((await withCookie(STORE_APP_URL_2, cookie)).dashboard.status).toBe(200);
  await context.close();
});

test('store mode: signing out at the identity provider, outside the app, ends the app session (Back-Channel Logout 1.0)', async ({
  browser,
}) => {
  const { context, page } = await signedInAt(browser, 'alice');
  const cookie = await cookieOf(context);
  const other = await signedInAt(browser, 'alice'); // another device: another provider session
  const otherCookie = await cookieOf(other.context);

  // At the IdP itself, not through the app: its end-session page, then "Yes, sign me out".
  await page.goto(`${IDP_URL}/session/end`);
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await waitForLogLine(
    STORE_APP_LOG,
    (l) => l.event === 'backchannel_logout' && l.sub === 'alice' && l.sessionsEnded === 1,
    'backchannel_logout',
  );

  // The app session of this browser is gone, on both instances; the other device's is not.
  for (const origin of [STORE_APP_URL, STORE_APP_URL_2]) {
    const after = await withCookie(origin, cookie);
    expect(after.dashboard.status).toBe(307);
    expect(after.bff.status).toBe(401);
  }
  expect((await withCookie(STORE_APP_URL, otherCookie)).dashboard.status).toBe(200);

  // The endpoint refuses what is not a valid logout token: 400, never cached.
  const forged = await fetch(`${STORE_APP_URL}/auth/backchannel-logout`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ logout_token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.' }),
  });
  expect(forged.status).toBe(400);
  expect(forged.headers.get('cache-control')).toBe('no-store');
  expect((await withCookie(STORE_APP_URL, otherCookie)).dashboard.status).toBe(200);
  // In cookie mode there is nothing to end on the server: 501.
  expect(
    (
      await fetch(`${APP_URL}/auth/backchannel-logout`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'logout_token=x',
      })
    ).status,
  ).toBe(501);
  for (const c of [context, other.context]) await c.close();
});
