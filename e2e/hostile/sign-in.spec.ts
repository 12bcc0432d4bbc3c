/**
 * Sign-in against a misbehaving identity provider, at the app level: a real browser, the
 * production build (the :3001 instance, configured for the hostile provider on :4100), and the
 * whole chain of route handlers: /auth/login → the provider's authorization endpoint →
 * /auth/callback → /auth/error. Every misbehaviour must fail closed: the friendly error page for
 * its reason with a reference, no session, no transaction left behind, nothing echoed, nothing
 * internal shown, and a `login_failed` log line with the same reason and reference.
 */
import { expect, test } from '@playwright/test';
import { LOGIN_FAILURE_MESSAGES, type LoginFailure } from '../../lib/client/errors';
import { SESSION_COOKIE } from '../env';
import { readSession } from '../helpers';
import { hostileLogin, logLine } from './helpers';
import {
  EXPECTED_REASON,
  FAILURE_SCENARIOS,
  HOSTILE_API_AUDIENCE,
  HOSTILE_APP_URL,
  HOSTILE_CLIENT_ID,
  HOSTILE_ISSUER,
  HOSTILE_USER,
  HTML_ERROR_DESCRIPTION,
  type FailureScenario,
} from './scenarios';

/** The app's limit for any request to the provider (lib/client/authorization-server.ts). */
const HTTP_TIMEOUT_MS = 8_000;

/** Stack frames (`at fn (file:1:2)`, `at file:1:2`), not the words "at the identity provider". */
const STACK_FRAME = /\bat (?:async )?[\w$.<>[\]]+ \(|\bat (?:async )?\S+:\d+:\d+/;
const INTERNALS = ['Error:', 'node_modules', '.ts:'];

test('valid: the positive control signs in and lands on the dashboard with the user and the API working', async ({
  page,
  context,
}) => {
  await hostileLogin(context, page, 'valid');
  await expect(page).toHaveURL(`${HOSTILE_APP_URL}/dashboard`);
  await expect(page.getByTestId('user-name')).toHaveText(HOSTILE_USER.name);
  const claims = page.getByTestId('id-token-claims');
  await expect(claims.locator('[data-claim="sub"]')).toHaveText(HOSTILE_USER.sub);
  await expect(claims.locator('[data-claim="iss"]')).toHaveText(HOSTILE_ISSUER);
  await expect(claims.locator('[data-claim="aud"]')).toHaveText(HOSTILE_CLIENT_ID);
  await expect(claims.locator('[data-claim="email"]')).toHaveText(HOSTILE_USER.email);

  // The access token (RFC 9068, aud = the instance's API_AUDIENCE) is accepted by the app's /api.
  await expect(page.getByTestId('api-me-status')).toHaveText('200');
  const me = JSON.parse((await page.getByTestId('api-me-body').textContent())!);
  expect(me).toMatchObject({
    sub: HOSTILE_USER.sub,
    client_id: HOSTILE_CLIENT_ID,
    kind: 'user',
    format: 'jwt',
    can: { readNotes: true, writeNotes: true },
  });
  await expect(page.getByTestId('api-notes-status')).toHaveText('200');

  const names = (await context.cookies()).map((c) => c.name);
  expect(names).toContain(SESSION_COOKIE);
  expect(names.filter((n) => n.includes('oidc-tx'))).toEqual([]);
  const session = await readSession(context);
  expect(session.sub).toBe(HOSTILE_USER.sub);
  expect(session.refreshToken).toBeTruthy();
  expect(session.scope.split(' ')).toEqual(
    expect.arrayContaining(['openid', 'notes:read', 'notes:write']),
  );
  expect(
    JSON.parse(Buffer.from(session.accessToken.split('.')[1]!, 'base64url').toString()),
  ).toMatchObject({ aud: HOSTILE_API_AUDIENCE });
  await logLine(
    (l) => l.event === 'login_succeeded' && l.sub === HOSTILE_USER.sub,
    'login_succeeded',
  );
});

// `hang` first: its ~8 s then overlap the other scenarios on the second worker.
const ORDER: FailureScenario[] = ['hang', ...FAILURE_SCENARIOS.filter((s) => s !== 'hang')];

for (const scenario of ORDER) {
  const reason = EXPECTED_REASON[scenario] as LoginFailure;

  test(`${scenario}: sign-in fails closed as ${reason}`, async ({ page, context }) => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const navigations: string[] = [];
    page.on('response', (r) => {
      if (r.request().isNavigationRequest())
        navigations.push(`${r.status()} ${r.url().split('?')[0]}`);
    });

    const { response, ms } = await hostileLogin(context, page, scenario);
    test.info().annotations.push({ type: 'navigations', description: navigations.join(' → ') });

    // The friendly error page for the reason, with a reference.
    expect(page.url()).toMatch(
      new RegExp(`^${HOSTILE_APP_URL}/auth/error\\?reason=${reason}&ref=[0-9a-f]{8}$`),
    );
    const ref = new URL(page.url()).searchParams.get('ref')!;
    expect(response.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      LOGIN_FAILURE_MESSAGES[reason].title,
    );
    await expect(page.getByText(LOGIN_FAILURE_MESSAGES[reason].detail)).toBeVisible();
    await expect(page.getByRole('link', { name: 'Try again' })).toHaveAttribute(
      'href',
      '/auth/login?returnTo=%2Fdashboard',
    );
    await expect(page.getByText(`Error reference: ${ref}`)).toBeVisible();

    // No session, and no transaction left behind, even when the response's `state` is missing
    // or forged: a failed callback ends every pending transaction of this browser.
    const names = (await context.cookies()).map((c) => c.name);
    expect(
      names.filter((n) => n === SESSION_COOKIE || n.startsWith(`${SESSION_COOKIE}.`)),
      'session cookies',
    ).toEqual([]);
    expect(
      names.filter((n) => n.includes('oidc-tx')),
      'transaction cookies left behind',
    ).toEqual([]);

    // Nothing internal shown, nothing from the provider echoed: neither in the page nor the raw HTML.
    const text = await page.locator('body').innerText();
    expect(text).not.toMatch(STACK_FRAME);
    for (const s of INTERNALS) expect(text, `page text contains ${s}`).not.toContain(s);
    for (const html of [await response.text(), await page.content()]) {
      expect(html).not.toMatch(STACK_FRAME);
      for (const s of INTERNALS) expect(html, `raw HTML contains ${s}`).not.toContain(s);
      for (const s of [HTML_ERROR_DESCRIPTION, 'alert(1)', 'alert%281%29', 'error_description']) {
        expect(html, `raw HTML contains ${s}`).not.toContain(s);
      }
    }
    expect(dialogs).toEqual([]);

    // The log has the reason under the reference the user sees.
    const line = await logLine(
      (l) => l.event === 'login_failed' && l.ref === ref,
      `login_failed ref=${ref}`,
    );
    expect(line.reason).toBe(reason);
    test.info().annotations.push({ type: 'logged cause', description: String(line.cause) });
    // The provider's HTTP status and OAuth error code are in the log when it answered with one.
    if (scenario === 'invalid-grant')
      expect(line).toMatchObject({ status: 400, error: 'invalid_grant' });
    if (scenario === 'server-error') expect(line).toMatchObject({ status: 500 });
    if (scenario === 'hang') expect(line).toMatchObject({ error: 'timeout' });

    if (scenario === 'hang') {
      // The app gave up at its own limit, not Playwright's.
      test
        .info()
        .annotations.push({ type: 'hang: error page after', description: `${Math.round(ms)} ms` });
      expect(ms).toBeGreaterThanOrEqual(HTTP_TIMEOUT_MS - 500);
      expect(ms).toBeLessThan(HTTP_TIMEOUT_MS + 4_000);
    }
  });
}
