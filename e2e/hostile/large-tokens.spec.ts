/**
 * Token sets as large as Microsoft Entra ID's (an ID token and an access token of about 2 KB
 * each, a 1.5 KB refresh token) seal to more than the 4,096 bytes a browser keeps per cookie.
 * The session is then split across cookies (lib/session/chunks.ts): sign-in, the API, the BFF,
 * a refresh and sign-out must all work with it, end to end, against the hostile provider's
 * `entra-size` login. (A token set too large even for that fails closed as session_too_large:
 * e2e/hostile/sign-in.spec.ts, scenario oversized-tokens.)
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { expired, readSession, sessionCookies, writeSession } from '../helpers';
import { controlGrant, hostileLogin } from './helpers';
import { ENTRA_SIZE, HOSTILE_APP_URL, HOSTILE_USER } from './scenarios';

/** The session's cookies: each within the browser's limit; their total, for the annotation. */
async function chunks(context: BrowserContext): Promise<{ names: string[]; total: number }> {
  const cookies = await sessionCookies(context, HOSTILE_APP_URL);
  for (const c of cookies) expect(c.name.length + 1 + c.value.length, c.name).toBeLessThanOrEqual(4096);
  return { names: cookies.map((c) => c.name).sort(), total: cookies.reduce((n, c) => n + c.name.length + 1 + c.value.length, 0) };
}

function callBff(page: Page): Promise<{ status: number; body: unknown }> {
  return page.evaluate(async () => {
    const response = await fetch('/bff/notes', { headers: { 'x-bff-request': '1' } });
    return { status: response.status, body: await response.json().catch(() => null) };
  });
}

test('an Entra-sized token set: the session spans several cookies, and sign-in, /api, the BFF, refresh and sign-out all work', async ({ page, context }) => {
  await hostileLogin(context, page, ENTRA_SIZE);
  await expect(page).toHaveURL(`${HOSTILE_APP_URL}/dashboard`);
  await expect(page.getByTestId('user-name')).toHaveText(HOSTILE_USER.name);
  await expect(page.getByTestId('api-me-status')).toHaveText('200');

  const session = await readSession(context);
  const sizes = { id: session.idToken.length, access: session.accessToken.length, refresh: session.refreshToken!.length };
  // As large as Entra's: more than 4 KB of tokens together, so no single cookie could hold them.
  expect(sizes.id).toBeGreaterThan(1400);
  expect(sizes.access).toBeGreaterThan(1400);
  expect(sizes.refresh).toBeGreaterThan(1400);
  const signedIn = await chunks(context);
  expect(signedIn.names.length).toBeGreaterThanOrEqual(2);
  expect(signedIn.names).toEqual(signedIn.names.map((_, i) => `__Host-session.${i}`));
  test.info().annotations.push({ type: 'Entra-sized session', description: `tokens ${JSON.stringify(sizes)}; cookies ${signedIn.total} bytes in ${signedIn.names.length}` });
  console.log(`Entra-sized token set: tokens ${JSON.stringify(sizes)} bytes; session ${signedIn.total} bytes in ${signedIn.names.length} cookies`);

  // The BFF reads the split session and calls the API with the large access token.
  expect(await callBff(page)).toMatchObject({ status: 200, body: { sub: HOSTILE_USER.sub } });

  // A refresh writes a new split session (still Entra-sized: the grant's tokens stay large).
  await writeSession(context, expired(session));
  expect(await callBff(page)).toMatchObject({ status: 200 });
  const refreshed = await readSession(context);
  expect(refreshed.accessToken).not.toBe(session.accessToken);
  expect(refreshed.refreshToken).not.toBe(session.refreshToken);
  expect(await controlGrant('grant', refreshed.refreshToken!)).toMatchObject({ refreshes: 1, revoked: false });
  expect((await chunks(context)).names).toEqual(signedIn.names);

  // A page (through the Edge guard) still opens it.
  await page.goto(`${HOSTILE_APP_URL}/dashboard`);
  await expect(page.getByTestId('api-me-status')).toHaveText('200');

  // Sign-out deletes every chunk.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(`${HOSTILE_APP_URL}/?signedOut=1`);
  expect((await chunks(context)).names).toEqual([]);
  const after = await context.request.get(`${HOSTILE_APP_URL}/dashboard`, { maxRedirects: 0 });
  expect(after.status()).toBe(307);
  expect(after.headers().location).toMatch(/\/auth\/login\?returnTo=%2Fdashboard$/);
});

test('a split session with a chunk missing is no session: the guard sends the user to sign in and deletes the rest', async ({ page, context }) => {
  await hostileLogin(context, page, ENTRA_SIZE);
  await expect(page.getByTestId('api-me-status')).toHaveText('200');
  expect((await chunks(context)).names.length).toBeGreaterThanOrEqual(2);
  await context.clearCookies({ name: '__Host-session.1' }); // chunk 0 alone does not open
  // (Not through the page: the hostile provider would sign the browser in again at once.)
  const response = await context.request.get(`${HOSTILE_APP_URL}/dashboard`, { maxRedirects: 0 });
  expect(response.status()).toBe(307);
  expect(response.headers().location).toMatch(/\/auth\/login\?returnTo=%2Fdashboard$/);
  const deleted = response.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value);
  expect(deleted.some((c) => /^__Host-session\.0=;/.test(c))).toBe(true);
  expect(deleted.every((c) => /^__Host-session(\.\d)?=;/.test(c))).toBe(true);
  expect((await chunks(context)).names).toEqual([]);
});
