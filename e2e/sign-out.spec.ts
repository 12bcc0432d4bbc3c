import { expect, test } from '@playwright/test';
import { APP_URL, IDP_URL, SESSION_COOKIE } from './env';
import { readSession, signIn } from './helpers';

test('sign-out ends the session here and at the identity provider', async ({ page, context }) => {
  await signIn(page, 'alice');
  await expect(page.getByTestId('user-name')).toBeVisible();
  const { refreshToken } = await readSession(context);
  // A cookie of this site the app knows nothing of: Clear-Site-Data must end it too.
  await context.addCookies([{ name: 'planted', value: '1', url: APP_URL }]);

  await page.getByRole('button', { name: 'Sign out' }).click();
  // RP-initiated logout: the IdP confirms, then sends us to the post-logout redirect URI.
  await expect(page).toHaveURL(new RegExp(`^${IDP_URL}/session/end`));
  // Meanwhile the logout state waits in a sealed __Host- cookie: nothing in it can be read.
  const [logoutState] = (await context.cookies(APP_URL)).filter(
    (c) => c.name === '__Host-logout-state',
  );
  expect(logoutState?.value).toMatch(/^Fe26\.2\*/);
  expect(logoutState).toMatchObject({ path: '/', secure: true, httpOnly: true });
  const callback = page.waitForResponse((r) =>
    r.url().startsWith(`${APP_URL}/auth/logout/callback`),
  );
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  // allHeaders(): Playwright's headers() leaves out security-related headers such as this one.
  expect((await (await callback).allHeaders())['clear-site-data']).toBe('"cookies"');
  await expect(page).toHaveURL(`${APP_URL}/?signedOut=1`);
  expect(
    (await context.cookies(APP_URL)).map((c) => c.name),
    'Clear-Site-Data cleared every cookie of the site',
  ).toEqual([]);
  await expect(page.getByRole('status')).toContainText('signed out');
  expect((await context.cookies()).map((c) => c.name)).not.toContain(SESSION_COOKIE);

  // The refresh token was revoked at the provider (RFC 7009).
  const refresh = await fetch(`${IDP_URL}/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from('next-oidc-reference:local-idp-client-secret-for-development-only').toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken! }),
  });
  expect(refresh.status).toBe(400);
  expect((await refresh.json()).error).toBe('invalid_grant');

  // The dashboard sends us to sign in, and the IdP asks for credentials again.
  await page.goto('/dashboard');
  await expect(page).toHaveURL(new RegExp(`^${IDP_URL}/interaction/`));
  await expect(page.getByLabel('Password')).toBeVisible();
});

test('a cross-site sign-out POST does nothing, and GET is not allowed', async ({
  page,
  context,
}) => {
  await signIn(page, 'alice');
  await expect(page.getByTestId('user-name')).toBeVisible();
  const forged = await context.request.post(`${APP_URL}/auth/logout`, {
    headers: { Origin: 'http://evil.example' },
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(403);
  const noOrigin = await context.request.post(`${APP_URL}/auth/logout`, {
    headers: { 'Sec-Fetch-Site': 'cross-site' },
    maxRedirects: 0,
  });
  expect(noOrigin.status()).toBe(403);
  const get = await context.request.get(`${APP_URL}/auth/logout`, { maxRedirects: 0 });
  expect(get.status()).toBe(405);
  // Still signed in.
  await page.goto('/dashboard');
  await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');
});
