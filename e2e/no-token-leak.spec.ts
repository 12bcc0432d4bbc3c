/**
 * The BFF promise: across the whole flow, no access, ID or refresh token reaches the browser in
 * any HTML, JSON, RSC payload, header or readable cookie.
 */
import { expect, test, type Response } from '@playwright/test';
import { APP_URL } from './env';
import { expired, readSession, signIn, writeSession } from './helpers';

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/;

test('no raw token is ever sent to the browser', async ({ page, context }) => {
  const captured: { url: string; text: string }[] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (response: Response) => {
    if (!response.url().startsWith(APP_URL)) return;
    pending.push(
      (async () => {
        const headers = JSON.stringify(await response.allHeaders());
        const body = await response.text().catch(() => ''); // redirects have no body
        captured.push({ url: response.url(), text: `${headers}\n${body}` });
      })(),
    );
  });

  const tokens = new Set<string>();
  const remember = async () => {
    const s = await readSession(context);
    for (const t of [s.accessToken, s.idToken, s.refreshToken]) if (t) tokens.add(t);
    return s;
  };

  // Sign in, see the dashboard, use the BFF, refresh, sign out.
  await signIn(page, 'alice');
  await expect(page.getByTestId('api-me-status')).toHaveText('200');
  const first = await remember();
  await page.getByRole('button', { name: 'Add a note' }).click();
  await expect(page.getByTestId('bff-status')).toHaveText('201');
  await page.getByRole('button', { name: 'Read my notes' }).click();
  await expect(page.getByTestId('bff-status')).toHaveText('200');
  expect(await page.evaluate(() => document.cookie)).toBe(''); // every cookie is HttpOnly

  // The inspector and the lab show values and decoded claims, never a token.
  await page.goto('/flow');
  await expect(page.getByTestId('flow-step-8')).toBeVisible();
  await page.goto('/lab');
  await page.getByTestId('lab-id-token-at-api').getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('lab-id-token-at-api').getByTestId('lab-verdict')).toHaveText(
    'Stopped',
  );
  await page.goto('/dashboard');

  await writeSession(context, expired(first));
  await page.goto('/dashboard');
  await expect(page.getByTestId('api-me-status')).toHaveText('200');
  await remember();
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await expect(page).toHaveURL(`${APP_URL}/?signedOut=1`);
  await Promise.all(pending);

  expect(tokens.size).toBeGreaterThanOrEqual(5); // two access tokens, ID tokens, refresh tokens
  expect(captured.length).toBeGreaterThan(10);
  for (const { url, text: raw } of captured) {
    // RP-initiated logout (OpenID RP-Initiated Logout §2) sends the ID token as id_token_hint
    // in the redirect to the provider's end_session_endpoint: by spec, and only there.
    const text =
      url === `${APP_URL}/auth/logout`
        ? raw.replace(/id_token_hint=[^&"]+/, 'id_token_hint=…')
        : raw;
    for (const token of tokens) {
      expect(text.includes(token), `a token in the response to ${url}`).toBe(false);
      // Nor any part of one: the dashboard shows tokens decoded, never their encoded header,
      // payload or signature.
      for (const part of token.split('.').filter((p) => p.length >= 24)) {
        expect(text.includes(part), `part of a token in the response to ${url}`).toBe(false);
      }
    }
    expect(text, `a JWT-shaped string in the response to ${url}`).not.toMatch(JWT);
  }
});
