/**
 * The flow inspector (/flow) after a real sign-in: every step is there, and its values are the
 * real ones (compared with the tokens in the session and with the cookies the browser holds).
 */
import { createHash } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { expect, test, type Page } from '@playwright/test';
import { APP_URL, IDP_URL } from './env';
import {
  expired,
  readSession,
  screenshotForDocs,
  sessionCookies,
  signIn,
  writeSession,
} from './helpers';

const value = (page: Page, table: string, name: string) =>
  page.getByTestId(table).locator(`[data-value="${name}"]`);

test('the flow inspector replays this sign-in with its real values, step by step', async ({
  page,
  context,
}) => {
  await signIn(page, 'alice');
  await expect(page.getByTestId('api-me-status')).toHaveText('200'); // the dashboard called /api
  const session = await readSession(context);
  const idClaims = decodeJwt(session.idToken);
  await page.goto('/flow');
  for (let n = 1; n <= 8; n++) await expect(page.getByTestId(`flow-step-${n}`)).toBeVisible();
  // What the Edge guard checked for this very page (and a client cannot claim it for it).
  await expect(page.getByTestId('flow-guard-verdict')).toHaveText(
    /^session=valid; idle-timer=(restarted|recent)$/,
  );
  await page.setExtraHTTPHeaders({ 'x-guard-checked': 'forged by the client' });
  await page.reload();
  await expect(page.getByTestId('flow-guard-verdict')).toHaveText(/^session=valid/);
  await page.setExtraHTTPHeaders({});

  // 1. Discovery: the issuer, and the key that signed the ID token among the JWKS keys.
  await expect(value(page, 'flow-discovery', 'issuer')).toHaveText(IDP_URL);
  await expect(value(page, 'flow-discovery', 'token_endpoint')).toHaveText(
    /^http:\/\/localhost:4000\//,
  );
  await expect(
    page
      .getByTestId('flow-keys')
      .locator(`[data-kid="${decodeProtectedHeader(session.idToken).kid}"]`),
  ).toHaveCount(1);

  // 2. The authorization request: PKCE S256, and the nonce that is in the ID token.
  await expect(value(page, 'flow-authorization', 'code_challenge_method')).toHaveText('S256');
  await expect(value(page, 'flow-authorization', 'nonce')).toHaveText(String(idClaims.nonce));
  await expect(value(page, 'flow-authorization', 'redirect_uri')).toHaveText(
    `${APP_URL}/auth/callback`,
  );
  await expect(value(page, 'flow-authorization', 'resource')).toHaveText(`${APP_URL}/api`);
  const state = (await value(page, 'flow-authorization', 'state').textContent())!;
  const challenge = (await value(page, 'flow-authorization', 'code_challenge').textContent())!;

  // 3. The callback: the same state, iss = the issuer, the code shortened.
  await expect(value(page, 'flow-callback', 'state')).toHaveText(state);
  await expect(value(page, 'flow-callback', 'state = the one sent in step 2')).toHaveText(
    '✓ equal',
  );
  await expect(value(page, 'flow-callback', 'iss')).toHaveText(IDP_URL);
  await expect(value(page, 'flow-callback', 'code')).toHaveText(/^.{8}… \(\d+ characters\)$/);

  // 4. The token request: the verifier, which hashes (here, in the test) to the challenge of step 2.
  const verifier = (await value(
    page,
    'flow-token-request',
    'code_verifier (used, now worthless)',
  ).textContent())!;
  expect(createHash('sha256').update(verifier).digest('base64url')).toBe(challenge);
  await expect(value(page, 'flow-token-request', 'proof')).toHaveText('✓ equal');
  await expect(value(page, 'flow-token-request', 'client authentication')).toHaveText(
    'client_secret_basic',
  );

  // 5. The token response, as the access token says.
  const access = decodeJwt(session.accessToken);
  const expiresIn = Number(await value(page, 'flow-token-response', 'expires_in').textContent());
  expect(Math.abs(expiresIn - (access.exp! - access.iat!))).toBeLessThanOrEqual(2);
  await expect(value(page, 'flow-token-response', 'scope')).toHaveText(session.scope);
  await expect(value(page, 'flow-token-response', 'refresh_token')).toHaveText('yes');

  // 6. The ID token checks, and the nonce compared.
  await expect(page.getByTestId('flow-id-token-checks')).toContainText(
    'nonce equals the one this sign-in sent',
  );
  await expect(value(page, 'flow-nonce', 'nonce')).toHaveText('✓ equal');

  // 7. The session: the cookie's real size against the 4,096-byte budget; field names, no values.
  const [cookie] = await sessionCookies(context);
  console.log(
    `cookie-mode session cookie (local IdP tokens): ${cookie!.name.length + 1 + cookie!.value.length} bytes`,
  );
  await expect(page.getByTestId('flow-cookie-bytes').first()).toHaveText(
    String(cookie!.name.length + 1 + cookie!.value.length),
  );
  await expect(page.getByTestId('flow-cookie-fields')).toContainText('accessToken');

  // 8. The dashboard's /api calls; then a refresh appears.
  await expect(
    page.getByTestId('flow-api-calls').locator('[data-path="/api/me"][data-status="200"]').first(),
  ).toBeVisible();
  await expect(page.getByTestId('flow-no-refresh')).toBeVisible();
  await page.getByTestId('flow-step-4').getByRole('button').click();
  await expect(page.getByTestId('flow-diagram').locator('[data-arrow="4"]')).toHaveAttribute(
    'data-current',
    'true',
  );
  await screenshotForDocs(page.locator('main'), 'flow');

  await writeSession(context, expired(session));
  await page.goto('/dashboard');
  await expect(page.getByTestId('api-me-status')).toHaveText('200');
  await page.goto('/flow');
  await expect(page.getByTestId('flow-refreshes')).toContainText('a new refresh token (rotation)');
});
