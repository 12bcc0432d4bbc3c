/**
 * Learning from the app: the dashboard shows the ID token and the access token side by side,
 * decoded on the server, and what it shows is the real tokens (compared with the tokens in the
 * session, opened with the test run's secret). The sign-out banner says only what the app knows.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { expect, test, type Locator } from '@playwright/test';
import { APP_URL, IDP_URL } from './env';
import {
  expired,
  readSession,
  screenshotForDocs,
  sessionCookies,
  signIn,
  writeSession,
} from './helpers';

const shown = (column: Locator, claim: string) => column.locator(`[data-claim="${claim}"]`);
const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

test('the two tokens side by side: every claim of the real tokens, the differences marked, readable times', async ({
  page,
  context,
}) => {
  await signIn(page, 'alice');
  await expect(page.getByTestId('api-me-status')).toHaveText('200');
  const session = await readSession(context);
  const idColumn = page.getByTestId('id-token');
  const accessColumn = page.getByTestId('access-token');

  for (const [column, token] of [
    [idColumn, session.idToken],
    [accessColumn, session.accessToken],
  ] as const) {
    const claims = decodeJwt(token);
    // Every claim, with its value, in the claims part of its column.
    const body = column.getByTestId(
      column === idColumn ? 'id-token-claims' : 'access-token-claims',
    );
    await expect(body.locator('[data-claim]')).toHaveCount(Object.keys(claims).length);
    for (const [name, value] of Object.entries(claims))
      await expect(shown(body, name), name).toHaveText(asText(value));
    // The header too.
    for (const [name, value] of Object.entries(decodeProtectedHeader(token)))
      await expect(shown(column, name).first(), name).toHaveText(asText(value));
    // NumericDate claims read as times.
    await expect(body.locator('[data-time="exp"]')).toHaveText(
      new Date(claims.exp! * 1000)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC'),
    );
  }

  // The differences that matter, as the tokens carry them.
  await expect(shown(idColumn.getByTestId('id-token-claims'), 'aud')).toHaveText(
    'next-oidc-reference',
  );
  await expect(shown(accessColumn.getByTestId('access-token-claims'), 'aud')).toHaveText(
    `${APP_URL}/api`,
  );
  await expect(shown(accessColumn, 'typ').first()).toHaveText('at+jwt');
  await expect(shown(idColumn, 'nonce')).toHaveCount(1);
  await expect(shown(accessColumn, 'nonce')).toHaveCount(0);
  await expect(shown(accessColumn, 'scope')).toContainText('notes:read');
  for (const name of ['aud', 'typ', 'scope', 'nonce', 'exp']) {
    const row = page
      .getByTestId('token-comparison')
      .locator(`tr[data-differs]:has([data-claim="${name}"])`);
    expect(await row.count(), `${name} is marked as a difference`).toBeGreaterThan(0);
  }
  // Explained in one line each.
  await expect(idColumn).toContainText(
    'Who it is for: this app (the client id). That is why /api refuses it.',
  );
  await expect(accessColumn).toContainText('at+jwt (RFC 9068 §2.1)');

  // Which checks each passed; a live countdown; where the access token came from.
  await expect(idColumn).toContainText('nonce equals the one this sign-in sent');
  await expect(accessColumn).toContainText('GET /api/me just answered 200');
  const countdown = page.getByTestId('access-token-countdown');
  await expect(countdown).toHaveText(/^\d+ min \d{2} s$/);
  const first = await countdown.textContent();
  await expect(countdown).not.toHaveText(first!, { timeout: 3_000 }); // it ticks
  await expect(page.getByTestId('access-token-origin')).toContainText('Issued at sign-in');
  await screenshotForDocs(page.getByTestId('token-comparison'), 'dashboard');

  // After a refresh, the page says the access token was replaced, and shows the new one.
  await writeSession(context, expired(session));
  await page.goto('/dashboard');
  await expect(page.getByTestId('access-token-origin')).toContainText('Replaced by a refresh at');
  const refreshed = await readSession(context);
  expect(refreshed.accessToken).not.toBe(session.accessToken);
  await expect(shown(accessColumn.getByTestId('access-token-claims'), 'jti')).toHaveText(
    String(decodeJwt(refreshed.accessToken).jti),
  );
});

test('the home page lists the cookies of a sign-in, and which this page carried', async ({
  page,
  context,
}) => {
  await page.goto('/');
  const list = page.getByTestId('cookie-list');
  await expect(
    list.locator('tr[data-cookie^="__Host-session"] [data-testid="cookie-present"]'),
  ).toHaveText('—');
  await expect(list).toContainText('oidc-tx.<state>');
  await expect(list.locator('tr[data-cookie^="__Host-oidc-tx"]')).toContainText(
    'HttpOnly; SameSite=Lax; Path=/; Secure',
  );
  await signIn(page, 'alice');
  await expect(page.getByTestId('user-name')).toBeVisible();
  await page.goto('/');
  const [cookie] = await sessionCookies(context);
  await expect(
    list.locator('tr[data-cookie^="__Host-session"] [data-testid="cookie-present"]'),
  ).toHaveText(`${cookie!.name} (${cookie!.value.length} characters)`);
});

test('the sign-out banner says what the app knows: the provider was asked, or not involved', async ({
  page,
  context,
}) => {
  // Through the provider, choosing to stay signed in there: the banner does not claim otherwise.
  await signIn(page, 'alice');
  await expect(page.getByTestId('user-name')).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(new RegExp(`^${IDP_URL}/session/end`));
  await page.getByRole('button', { name: /No, stay signed in/ }).click();
  await expect(page).toHaveURL(`${APP_URL}/?signedOut=1`);
  const banner = page.getByTestId('signed-out-banner');
  await expect(banner).toContainText('the identity provider was asked to end its session too');
  await expect(banner).not.toContainText('signed out, here and at the identity provider');

  // Without a session (nothing to end at the provider): local only, and it says so.
  await context.clearCookies();
  const response = await context.request.post(`${APP_URL}/auth/logout`, {
    headers: { Origin: APP_URL },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(303);
  expect(response.headers().location).toBe(`${APP_URL}/?signedOut=local`);
  // The sign-out ends here: the browser is told to drop every cookie of the site.
  expect(response.headers()['clear-site-data']).toBe('"cookies"');
  await page.goto('/?signedOut=local');
  await expect(page.getByTestId('signed-out-banner')).toContainText('was not touched');
});
