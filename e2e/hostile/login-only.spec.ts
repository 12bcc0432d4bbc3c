/**
 * A sign-in-only provider profile, end to end: the app on :3003 runs with OIDC_PROVIDER=google
 * against the hostile provider (a real OpenID provider that signs in at once). The profile sends
 * Google's authorization parameters and no API audience, the dashboard says that /api cannot be
 * used with this provider instead of calling it, /api refuses every token, and sign-out stays
 * local (Google has no logout endpoint).
 */
import { expect, test } from '@playwright/test';
import { waitForLogLine } from '../app-log';
import { readSession, sessionCookies } from '../helpers';
import { HOSTILE_ISSUER, HOSTILE_USER, LOGIN_ONLY_APP_LOG, LOGIN_ONLY_APP_URL } from './scenarios';

test('google profile: sign-in works, the dashboard explains why /api cannot, and sign-out stays local', async ({
  page,
  context,
}) => {
  const authorizationRequests: URL[] = [];
  const providerPaths: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin !== HOSTILE_ISSUER) return;
    providerPaths.push(url.pathname);
    if (url.pathname === '/authorize') authorizationRequests.push(url);
  });

  await page.goto(`${LOGIN_ONLY_APP_URL}/dashboard`);
  await expect(page).toHaveURL(`${LOGIN_ONLY_APP_URL}/dashboard`);
  await expect(page.getByTestId('user-name')).toHaveText(HOSTILE_USER.name);

  // The profile's authorization request: Google's parameters, its scopes, no audience parameter.
  expect(authorizationRequests).toHaveLength(1);
  const params = authorizationRequests[0]!.searchParams;
  expect(params.get('access_type')).toBe('offline');
  expect(params.get('prompt')).toBe('consent');
  expect(params.get('scope')).toBe('openid profile email');
  expect(params.has('resource')).toBe(false);
  expect(params.has('audience')).toBe(false);
  expect(params.get('code_challenge_method')).toBe('S256');

  // Who you are works; what you may do is explained, not attempted.
  await expect(page.getByTestId('id-token-claims').locator('[data-claim="sub"]')).toHaveText(
    HOSTILE_USER.sub,
  );
  await expect(page.getByTestId('api-unsupported')).toContainText(
    'Google issues access tokens for its own APIs only',
  );
  await expect(page.getByTestId('api-me-status')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Read my notes' })).toHaveCount(0);

  // /api accepts no token with this profile, not even the provider's valid JWT access token.
  const { accessToken } = await readSession(context);
  const api = await context.request.get(`${LOGIN_ONLY_APP_URL}/api/me`, {
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  expect(api.status()).toBe(401);
  expect(api.headers()['www-authenticate']).toMatch(/error="invalid_token"/);
  await waitForLogLine(
    LOGIN_ONLY_APP_LOG,
    (l) => l.event === 'api_rejected' && l.reason === 'api_disabled',
    'api_rejected api_disabled',
  );

  // Sign-out: the local session ends and the browser never goes to the provider.
  providerPaths.length = 0;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(`${LOGIN_ONLY_APP_URL}/?signedOut=local`);
  await expect(page.getByTestId('signed-out-banner')).toContainText('was not touched');
  expect(providerPaths).toEqual([]);
  expect(await sessionCookies(context, LOGIN_ONLY_APP_URL)).toEqual([]);
});
