/**
 * Refresh: the test makes the stored access token look expired (by resealing the session with
 * the test secret), and the app must refresh it at the real IdP before using it.
 */
import { expect, test } from '@playwright/test';
import { APP_URL, SESSION_COOKIE } from './env';
import { expired, readSession, refreshesAtProvider, signIn, writeSession } from './helpers';

test('an expired access token is refreshed before a page uses it', async ({ page, context }) => {
  await signIn(page, 'alice');
  await expect(page.getByTestId('user-name')).toBeVisible();
  const before = await readSession(context);
  await writeSession(context, expired(before, Math.floor(Date.now() / 1000) - 10));

  const visited: string[] = [];
  page.on('request', (r) => visited.push(new URL(r.url()).pathname));
  await page.goto('/dashboard');
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  await expect(page.getByTestId('api-me-status')).toHaveText('200');
  expect(visited).toContain('/auth/refresh');

  const after = await readSession(context);
  expect(after.accessToken).not.toBe(before.accessToken);
  expect(after.accessTokenExpiresAt).toBeGreaterThan(Date.now() / 1000);
  // Refresh tokens rotate at the local IdP.
  expect(after.refreshToken).not.toBe(before.refreshToken);
});

test('an expired access token is refreshed inline by the BFF', async ({ page, context }) => {
  await signIn(page, 'alice');
  await expect(page.getByTestId('user-name')).toBeVisible();
  const before = await readSession(context);
  await writeSession(context, expired(before, Math.floor(Date.now() / 1000) - 10));

  await page.getByRole('button', { name: 'Read my notes' }).click();
  await expect(page.getByTestId('bff-status')).toHaveText('200');
  const after = await readSession(context);
  expect(after.accessToken).not.toBe(before.accessToken);
});

test('a refused refresh (invalid_grant) ends the session and sends the user to sign in', async ({
  page,
  context,
}) => {
  await signIn(page, 'alice');
  await expect(page.getByTestId('user-name')).toBeVisible();
  const before = await readSession(context);
  await writeSession(context, { ...expired(before), refreshToken: 'not-a-refresh-token' });

  const response = await context.request.get(`${APP_URL}/auth/refresh?returnTo=/dashboard`, {
    maxRedirects: 0,
  });
  expect(response.status()).toBe(303);
  expect(response.headers().location).toBe(`${APP_URL}/auth/login?returnTo=%2Fdashboard`);
  expect((await context.cookies()).map((c) => c.name)).not.toContain(SESSION_COOKIE);
});

/** How often the local IdP saw this refresh token used (a development-only IdP endpoint). */
test('twelve parallel requests with an expired access token cause exactly one refresh, and all succeed', async ({
  page,
  context,
}) => {
  await signIn(page, 'alice');
  await expect(page.getByTestId('user-name')).toBeVisible();
  const before = await readSession(context);
  await writeSession(context, expired(before, Math.floor(Date.now() / 1000) - 10));

  // From the page, like a busy front end: all twelve carry the same (old) cookie.
  const statuses = await page.evaluate(() =>
    Promise.all(
      Array.from({ length: 12 }, () =>
        fetch('/bff/notes', { headers: { 'x-bff-request': '1' } }).then((r) => r.status),
      ),
    ),
  );
  expect(statuses).toEqual(Array(12).fill(200));
  // The provider saw the old refresh token exactly once: no reuse, so the grant was not revoked.
  expect(await refreshesAtProvider(before.refreshToken!)).toEqual({ success: 1, error: 0 });

  // Still signed in, and the rotated refresh token works for the next refresh.
  const after = await readSession(context);
  expect(after.refreshToken).not.toBe(before.refreshToken);
  await writeSession(context, expired(after));
  await page.goto('/dashboard');
  await expect(page.getByTestId('api-me-status')).toHaveText('200');
  expect(await refreshesAtProvider(after.refreshToken!)).toEqual({ success: 1, error: 0 });
});
