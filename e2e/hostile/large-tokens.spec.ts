/**
 * Token sets of realistic sizes, end to end against the hostile provider's padded logins:
 * - the 8 KB token set (`entra-size`: ID and access tokens of about 2.5 KB each, a 1.5 KB refresh
 *   token, like Microsoft Entra ID's) works in store mode (:3006), where the cookie stays small,
 *   and in cookie mode (:3001) ends on the error page that names the fix: it would need more
 *   cookie than the app allows itself (lib/session/chunks.ts);
 * - a mid-sized set (`mid-size`) spans two cookies in cookie mode, and works.
 * Never a silently dropped cookie, never a redirect loop.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { unsealData } from 'iron-session';
import { createClient } from 'redis';
import { passwordMaps } from '../../lib/cookies/seal';
import { LOGIN_FAILURE_MESSAGES } from '../../lib/client/errors';
import { SESSION_COOKIE, STORE_REDIS_PORT, TEST_SESSION_SECRET } from '../env';
import { expired, readSession, sessionCookies, writeSession } from '../helpers';
import { controlGrant, hostileLogin } from './helpers';
import {
  ENTRA_SIZE,
  HOSTILE_APP_URL,
  HOSTILE_USER,
  MID_SIZE,
  STORE_HOSTILE_APP_URL,
} from './scenarios';

/** The session's cookies on `origin`: each within the browser's limit; their names and total. */
async function chunks(
  context: BrowserContext,
  origin = HOSTILE_APP_URL,
): Promise<{ names: string[]; total: number }> {
  const cookies = await sessionCookies(context, origin);
  for (const c of cookies)
    expect(c.name.length + 1 + c.value.length, c.name).toBeLessThanOrEqual(4096);
  return {
    names: cookies.map((c) => c.name).sort(),
    total: cookies.reduce((n, c) => n + c.name.length + 1 + c.value.length, 0),
  };
}

function callBff(page: Page): Promise<{ status: number; body: unknown }> {
  return page.evaluate(async () => {
    const response = await fetch('/bff/notes', { headers: { 'x-bff-request': '1' } });
    return { status: response.status, body: await response.json().catch(() => null) };
  });
}

test('the 8 KB token set in store mode: sign-in, /api, the BFF, a refresh and sign-out work, and the cookie stays small', async ({
  page,
  context,
}) => {
  await hostileLogin(context, page, ENTRA_SIZE, STORE_HOSTILE_APP_URL);
  await expect(page).toHaveURL(`${STORE_HOSTILE_APP_URL}/dashboard`);
  await expect(page.getByTestId('user-name')).toHaveText(HOSTILE_USER.name);
  await expect(page.getByTestId('api-me-status')).toHaveText('200');

  // The cookie: one small sealed pointer.
  const cookies = await chunks(context, STORE_HOSTILE_APP_URL);
  expect(cookies.names).toEqual([SESSION_COOKIE]);
  expect(cookies.total).toBeLessThan(600);

  // The tokens, in Redis: as large as Entra's.
  const { sid } = await unsealData<{ sid: string }>(
    (await sessionCookies(context, STORE_HOSTILE_APP_URL))[0]!.value,
    { password: (await passwordMaps(TEST_SESSION_SECRET)).open },
  );
  const key = `nor:s:${createHash('sha256').update(sid).digest('hex')}`;
  const redis = createClient({ url: `redis://127.0.0.1:${STORE_REDIS_PORT}` });
  await redis.connect();
  try {
    const stored = JSON.parse((await redis.get(key))!) as {
      idToken: string;
      accessToken: string;
      refreshToken: string;
      accessTokenExpiresAt: number;
    };
    const sizes = {
      id: stored.idToken.length,
      access: stored.accessToken.length,
      refresh: stored.refreshToken.length,
    };
    expect(sizes.id).toBeGreaterThan(2_200);
    expect(sizes.access).toBeGreaterThan(2_200);
    expect(sizes.refresh).toBeGreaterThan(1_400);
    test.info().annotations.push({
      type: '8 KB token set, store mode',
      description: `tokens ${JSON.stringify(sizes)}; cookie ${cookies.total} bytes`,
    });
    console.log(
      `8 KB token set in store mode: tokens ${JSON.stringify(sizes)} bytes; session cookie ${cookies.total} bytes`,
    );

    expect(await callBff(page)).toMatchObject({ status: 200, body: { sub: HOSTILE_USER.sub } });

    // A refresh: the stored access token made to look expired; the BFF refreshes it.
    const now = Math.floor(Date.now() / 1000);
    await redis.set(
      key,
      JSON.stringify({ ...stored, accessTokenExpiresAt: now - 10, tokensReceivedAt: now - 600 }),
      { expiration: 'KEEPTTL' },
    );
    expect(await callBff(page)).toMatchObject({ status: 200 });
    const refreshed = JSON.parse((await redis.get(key))!) as {
      accessToken: string;
      refreshToken: string;
    };
    expect(refreshed.accessToken).not.toBe(stored.accessToken);
    expect(refreshed.refreshToken).not.toBe(stored.refreshToken);
    expect(await controlGrant('grant', refreshed.refreshToken)).toMatchObject({
      refreshes: 1,
      revoked: false,
    });
  } finally {
    await redis.close();
  }

  // Sign-out: the cookie and the stored session go.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(`${STORE_HOSTILE_APP_URL}/?signedOut=local`); // the hostile provider has no end-session endpoint: local only
  expect((await chunks(context, STORE_HOSTILE_APP_URL)).names).toEqual([]);
});

test('the 8 KB token set in cookie mode: sign-in stops on the error page, which names the fix (store mode)', async ({
  page,
  context,
}) => {
  await hostileLogin(context, page, ENTRA_SIZE);
  expect(page.url()).toMatch(
    new RegExp(`^${HOSTILE_APP_URL}/auth/error\\?reason=session_too_large&ref=[0-9a-f]{8}$`),
  );
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    LOGIN_FAILURE_MESSAGES.session_too_large.title,
  );
  await expect(page.getByText('SESSION_STORE=redis')).toBeVisible();
  expect((await chunks(context)).names).toEqual([]);
});

test('a mid-sized token set in cookie mode: the session spans two cookies, and sign-in, /api, the BFF, refresh and sign-out work', async ({
  page,
  context,
}) => {
  await hostileLogin(context, page, MID_SIZE);
  await expect(page).toHaveURL(`${HOSTILE_APP_URL}/dashboard`);
  await expect(page.getByTestId('api-me-status')).toHaveText('200');
  const session = await readSession(context);
  const signedIn = await chunks(context);
  expect(signedIn.names).toEqual([`${SESSION_COOKIE}.0`, `${SESSION_COOKIE}.1`]);
  expect(signedIn.total).toBeLessThanOrEqual(6 * 1024);
  test.info().annotations.push({
    type: 'mid-sized session, cookie mode',
    description: `${signedIn.total} bytes in ${signedIn.names.length} cookies`,
  });

  expect(await callBff(page)).toMatchObject({ status: 200, body: { sub: HOSTILE_USER.sub } });
  await writeSession(context, expired(session));
  expect(await callBff(page)).toMatchObject({ status: 200 });
  const refreshed = await readSession(context);
  expect(refreshed.accessToken).not.toBe(session.accessToken);
  expect((await chunks(context)).names).toEqual(signedIn.names);

  // A page (through the Edge guard) still opens it.
  await page.goto(`${HOSTILE_APP_URL}/dashboard`);
  await expect(page.getByTestId('api-me-status')).toHaveText('200');

  // Sign-out deletes every chunk. (Checked without the page: the hostile provider would sign the
  // browser in again at once.)
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(`${HOSTILE_APP_URL}/?signedOut=local`); // the hostile provider has no end-session endpoint: local only
  expect((await chunks(context)).names).toEqual([]);
  const after = await context.request.get(`${HOSTILE_APP_URL}/dashboard`, { maxRedirects: 0 });
  expect(after.status()).toBe(307);
  expect(after.headers().location).toMatch(/\/auth\/login\?returnTo=%2Fdashboard$/);
});

test('a split session with a chunk missing is no session: the guard sends the user to sign in and deletes the rest', async ({
  page,
  context,
}) => {
  await hostileLogin(context, page, MID_SIZE);
  await expect(page.getByTestId('api-me-status')).toHaveText('200');
  expect((await chunks(context)).names).toEqual([`${SESSION_COOKIE}.0`, `${SESSION_COOKIE}.1`]);
  await context.clearCookies({ name: `${SESSION_COOKIE}.1` }); // chunk 0 alone does not open
  const response = await context.request.get(`${HOSTILE_APP_URL}/dashboard`, { maxRedirects: 0 });
  expect(response.status()).toBe(307);
  expect(response.headers().location).toMatch(/\/auth\/login\?returnTo=%2Fdashboard$/);
  const deleted = response
    .headersArray()
    .filter((h) => h.name.toLowerCase() === 'set-cookie')
    .map((h) => h.value);
  expect(deleted.some((c) => c.startsWith(`${SESSION_COOKIE}.0=;`))).toBe(true);
  expect(
    deleted.every((c) => c.startsWith(`${SESSION_COOKIE}=;`) || /^__Host-session\.\d=;/.test(c)),
  ).toBe(true);
  expect((await chunks(context)).names).toEqual([]);
});
