/**
 * Referrer-Policy of the production build: `no-referrer` on every /auth response (sign-in,
 * callback, refresh, sign-out), so the authorization code and state never leak in a Referer.
 */
import { expect, test } from '@playwright/test';
import { APP_URL } from '../env';
import { get, signInCapturingCallback } from './helpers';

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
