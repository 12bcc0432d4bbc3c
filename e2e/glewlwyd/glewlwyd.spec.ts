/**
 * The app against an independent, certified OpenID provider: Glewlwyd 2.7 from Debian, set up
 * afresh by e2e/glewlwyd/server.ts. The app instance on :3002 runs the production build with the
 * generic profile (strict RFC 9068), client_secret_post (the secret holds reserved characters),
 * and access tokens that live GLEWLWYD_TTL_S (15) seconds. docs/providers/glewlwyd.md is the
 * same setup for a user.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { waitForLogLine } from '../app-log';
import { expired, readSession, sessionCookies, writeSession } from '../helpers';
import {
  GLEWLWYD_API_AUDIENCE,
  GLEWLWYD_APP_LOG,
  GLEWLWYD_APP_URL,
  GLEWLWYD_CLIENT_ID,
  GLEWLWYD_CLIENT_SECRET,
  GLEWLWYD_ISSUER,
  GLEWLWYD_TTL_S,
  GLEWLWYD_URL,
  GLEWLWYD_USERS,
} from './settings';

type User = keyof typeof GLEWLWYD_USERS;

/** Signs in through Glewlwyd's own login page (a React app) and lands on the dashboard. */
async function signIn(page: Page, user: User): Promise<void> {
  const { username, password } = GLEWLWYD_USERS[user];
  await page.goto(`${GLEWLWYD_APP_URL}/dashboard`);
  await expect(page).toHaveURL(new RegExp(`^${GLEWLWYD_URL}/`));
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('#loginbut').click();
  // Glewlwyd shows a "Continue" step even when consent was given.
  await page.locator('button.btn-success').click();
  await expect(page).toHaveURL(`${GLEWLWYD_APP_URL}/dashboard`);
  await expect(page.getByTestId('user-name')).toHaveText(GLEWLWYD_USERS[user].name);
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A refresh at Glewlwyd's token endpoint, as the app makes it (client_secret_post). */
async function refreshAtProvider(refreshToken: string): Promise<{ status: number; body: string }> {
  const discovery = (await (
    await fetch(`${GLEWLWYD_ISSUER}/.well-known/openid-configuration`)
  ).json()) as { token_endpoint: string };
  const response = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: GLEWLWYD_CLIENT_ID,
      client_secret: GLEWLWYD_CLIENT_SECRET,
    }),
  });
  return { status: response.status, body: await response.text() };
}

/** The paths a navigation went through, in order. */
function recordPaths(page: Page): string[] {
  const paths: string[] = [];
  page.on('request', (r) => {
    if (r.isNavigationRequest()) paths.push(new URL(r.url()).pathname);
  });
  return paths;
}

/** Bytes of name and value of the session's cookies, each within the browser's 4,096. */
async function sessionCookieSize(context: BrowserContext): Promise<number> {
  const cookies = await sessionCookies(context, GLEWLWYD_APP_URL);
  expect(cookies.length, 'session cookies').toBeGreaterThan(0);
  for (const c of cookies) expect(c.name.length + 1 + c.value.length).toBeLessThanOrEqual(4096);
  return cookies.reduce((sum, c) => sum + c.name.length + 1 + c.value.length, 0);
}

test('alice signs in at Glewlwyd; the dashboard shows both halves, and the BFF writes with her role', async ({
  page,
  context,
}) => {
  await signIn(page, 'alice');

  // Who you are: the validated ID token from Glewlwyd.
  const claims = page.getByTestId('id-token-claims');
  await expect(claims.locator('[data-claim="iss"]')).toHaveText(GLEWLWYD_ISSUER);
  await expect(claims.locator('[data-claim="aud"]')).toHaveText(GLEWLWYD_CLIENT_ID);
  await expect(claims.locator('[data-claim="email"]')).toHaveText(GLEWLWYD_USERS.alice.email);

  // What you may do: /api accepted Glewlwyd's RFC 9068 access token.
  await expect(page.getByTestId('api-me-status')).toHaveText('200');
  const me = JSON.parse((await page.getByTestId('api-me-body').textContent())!);
  expect(me).toMatchObject({
    kind: 'user',
    client_id: GLEWLWYD_CLIENT_ID,
    format: 'jwt',
    roles: ['notes-writer'],
    can: { readNotes: true, writeNotes: true },
  });
  expect(me.sub).toBe(decodeJwt((await readSession(context)).idToken).sub);
  await expect(page.getByTestId('api-notes-status')).toHaveText('200');

  await page.getByRole('button', { name: 'Add a note' }).click();
  await expect(page.getByTestId('bff-status')).toHaveText('201');

  // The session cookie with Glewlwyd's tokens (ID token, access token, 128-character refresh token).
  const size = await sessionCookieSize(context);
  test
    .info()
    .annotations.push({ type: 'session cookie bytes (Glewlwyd)', description: String(size) });
  console.log(`session cookie with Glewlwyd's tokens: ${size} bytes`);
  expect(size).toBeGreaterThan(0);
});

test("/api accepts Glewlwyd's access token and refuses its ID token", async ({
  page,
  context,
  request,
}) => {
  await signIn(page, 'alice');
  const { accessToken, idToken } = await readSession(context);
  // The shapes this provider issues (the generic profile expects exactly this for access tokens).
  expect(decodeProtectedHeader(accessToken).typ).toBe('at+jwt');
  expect(decodeJwt(accessToken)).toMatchObject({
    iss: GLEWLWYD_ISSUER,
    aud: GLEWLWYD_API_AUDIENCE,
    client_id: GLEWLWYD_CLIENT_ID,
  });
  expect(decodeJwt(idToken)).toMatchObject({ iss: GLEWLWYD_ISSUER, aud: GLEWLWYD_CLIENT_ID });

  const ok = await request.get(`${GLEWLWYD_APP_URL}/api/me`, { headers: bearer(accessToken) });
  expect(ok.status()).toBe(200);

  const refused = await request.get(`${GLEWLWYD_APP_URL}/api/me`, { headers: bearer(idToken) });
  expect(refused.status()).toBe(401);
  expect(refused.headers()['www-authenticate']).toMatch(/error="invalid_token"/);
  expect(await refused.text()).not.toContain(idToken);
  await waitForLogLine(
    GLEWLWYD_APP_LOG,
    (l) => l.event === 'api_rejected' && l.reason === 'id_token_presented',
    'api_rejected id_token_presented',
  );
});

test('bob has both scopes but no role: the API refuses his write', async ({ page }) => {
  await signIn(page, 'bob');
  const me = JSON.parse((await page.getByTestId('api-me-body').textContent())!);
  expect(me).toMatchObject({ roles: [], can: { readNotes: true, writeNotes: false } });
  await page.getByRole('button', { name: 'Add a note' }).click();
  await expect(page.getByTestId('bff-status')).toHaveText('403');
  await expect(page.getByTestId('bff-body')).toContainText('forbidden');
});

test('refresh with rotation: a page refreshes before use, and the rotated refresh token is dead at Glewlwyd', async ({
  page,
  context,
}) => {
  await signIn(page, 'alice');
  const before = await readSession(context);
  await writeSession(context, expired(before));

  const paths = recordPaths(page);
  await page.goto(`${GLEWLWYD_APP_URL}/dashboard`);
  await expect(page.getByTestId('api-me-status')).toHaveText('200');
  expect(paths).toEqual(['/dashboard', '/auth/refresh', '/dashboard']);

  const after = await readSession(context);
  expect(after.accessToken).not.toBe(before.accessToken);
  expect(after.refreshToken).toBeTruthy();
  expect(after.refreshToken).not.toBe(before.refreshToken);
  // Glewlwyd's refresh response has no ID token: the original is kept.
  expect(after.idToken).toBe(before.idToken);
  await waitForLogLine(GLEWLWYD_APP_LOG, (l) => l.event === 'tokens_refreshed', 'tokens_refreshed');

  // The old refresh token was used once; Glewlwyd refuses it now (a bare 400, no JSON body).
  const reuse = await refreshAtProvider(before.refreshToken!);
  expect(reuse.status).toBe(400);
});

test("a refused refresh (Glewlwyd's bare 400 with no body) signs the user out cleanly, with the status logged", async ({
  page,
  context,
}) => {
  await signIn(page, 'alice');
  const session = await readSession(context);
  // A refresh token Glewlwyd does not know: it answers 400 with an empty body.
  await writeSession(context, {
    ...expired(session),
    refreshToken: 'not-a-glewlwyd-refresh-token',
  });

  await page.goto(`${GLEWLWYD_APP_URL}/dashboard`);
  // Sent to sign in again at Glewlwyd, not to an error page; the session cookie is gone.
  await expect(page).toHaveURL(new RegExp(`^${GLEWLWYD_URL}/`));
  expect(await sessionCookies(context, GLEWLWYD_APP_URL)).toEqual([]);
  const line = await waitForLogLine(
    GLEWLWYD_APP_LOG,
    (l) => l.event === 'refresh_rejected' && l.sub === session.sub,
    'refresh_rejected',
  );
  expect(line).toMatchObject({ status: 400, reason: 'refused' });
  expect(JSON.stringify(line)).not.toContain('not-a-glewlwyd-refresh-token');
});

test(`tokens that live ${GLEWLWYD_TTL_S} s: pages keep working, with at most one refresh per navigation and no loop`, async ({
  page,
  context,
}) => {
  test.setTimeout(90_000);
  await signIn(page, 'alice');
  const paths = recordPaths(page);
  const tokens = new Set([(await readSession(context)).accessToken]);
  const deadline = Date.now() + (GLEWLWYD_TTL_S * 2 + 5) * 1000;
  let navigations = 0;
  while (Date.now() < deadline) {
    paths.length = 0;
    await page.goto(`${GLEWLWYD_APP_URL}/dashboard`);
    await expect(page.getByTestId('api-me-status')).toHaveText('200');
    expect(
      paths.filter((p) => p === '/auth/refresh').length,
      `navigation ${navigations}: ${paths.join(' → ')}`,
    ).toBeLessThanOrEqual(1);
    expect(paths.length).toBeLessThanOrEqual(3);
    tokens.add((await readSession(context)).accessToken);
    navigations++;
    await page.waitForTimeout(2_000);
  }
  // Over two lifetimes, the tokens were refreshed, and never more than once per half lifetime.
  expect(tokens.size).toBeGreaterThanOrEqual(2);
  expect(tokens.size).toBeLessThanOrEqual(
    Math.ceil((GLEWLWYD_TTL_S * 2 + 5) / (GLEWLWYD_TTL_S / 2 - 2)) + 1,
  );
  expect(navigations).toBeGreaterThan(5);
});

test('sign-out ends the session here and at Glewlwyd (RP-initiated logout), and revokes the refresh token, even once the ID token has expired', async ({
  page,
  context,
}) => {
  test.setTimeout(60_000);
  await signIn(page, 'alice');
  const { refreshToken, idToken } = await readSession(context);
  // Users sign out long after signing in: the ID token sent as id_token_hint has expired by then
  // (Glewlwyd's ID tokens live as long as its access tokens here).
  const exp = decodeJwt(idToken).exp!;
  await page.waitForTimeout(Math.max(0, (exp + 1) * 1000 - Date.now()));
  expect(Date.now() / 1000).toBeGreaterThan(exp);

  await page.getByRole('button', { name: 'Sign out' }).click();
  // Glewlwyd's end-session page: its red "Logout" button.
  await expect(page).toHaveURL(new RegExp(`^${GLEWLWYD_URL}/`));
  await page.locator('button.btn-danger:not(.dropdown-toggle)').click();
  await expect(page).toHaveURL(`${GLEWLWYD_APP_URL}/?signedOut=1`);
  expect(await sessionCookies(context, GLEWLWYD_APP_URL)).toEqual([]);

  // RFC 7009: the app revoked the refresh token.
  expect((await refreshAtProvider(refreshToken!)).status).toBe(400);

  // The provider session is over: signing in asks for the password again.
  await page.goto(`${GLEWLWYD_APP_URL}/dashboard`);
  await expect(page).toHaveURL(new RegExp(`^${GLEWLWYD_URL}/`));
  await expect(page.locator('#password')).toBeVisible();
});
