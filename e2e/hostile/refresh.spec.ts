/**
 * Refresh against a provider outage, at the app level: the BFF (/bff/notes → getFreshSession)
 * must answer 503 provider_unavailable and keep the session while the provider's token endpoint
 * is down, succeed once it is back, and end the session when the provider refuses the refresh
 * token (invalid_grant). The outage is switched per grant (this login only) at the hostile
 * provider, so tests running in parallel are not affected.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { SESSION_COOKIE } from '../env';
import { expired, readSession, writeSession, type Session } from '../helpers';
import { controlGrant, hostileLogin, logLine } from './helpers';
import { HOSTILE_APP_URL, HOSTILE_USER } from './scenarios';

/** Signs in (valid) at :3001, then makes the access token look expired. */
async function signInWithExpiredAccessToken(
  page: Page,
  context: BrowserContext,
): Promise<{ session: Session; cookie: string }> {
  await hostileLogin(context, page, 'valid');
  await expect(page).toHaveURL(`${HOSTILE_APP_URL}/dashboard`);
  await expect(page.getByTestId('api-me-status')).toHaveText('200');
  const signedIn = await readSession(context);
  expect(signedIn.refreshToken).toBeTruthy();
  const session = expired(signedIn);
  await writeSession(context, session);
  return { session, cookie: await sessionCookie(context) };
}

async function sessionCookie(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
  expect(cookie, 'session cookie').toBeDefined();
  return cookie!.value;
}

/** GET /bff/notes from the page, as the dashboard's own script calls it. */
function callBff(page: Page): Promise<{ status: number; body: unknown; ms: number }> {
  return page.evaluate(async () => {
    const started = performance.now();
    const response = await fetch('/bff/notes', { headers: { 'x-bff-request': '1' } });
    return {
      status: response.status,
      body: await response.json().catch(() => null),
      ms: performance.now() - started,
    };
  });
}

test('a provider outage during the refresh answers 503 and keeps the session; once it is over the same call succeeds', async ({
  page,
  context,
}) => {
  const { session, cookie } = await signInWithExpiredAccessToken(page, context);
  expect((await controlGrant('refresh-outage', session.refreshToken!, '?on=1')).outage).toBe(
    'unavailable',
  );

  const down = await callBff(page);
  expect(down.status).toBe(503);
  expect(down.body).toMatchObject({ error: 'provider_unavailable' });
  // The provider was asked (and answered 503): the app did not give up without trying.
  expect(await controlGrant('grant', session.refreshToken!)).toMatchObject({
    outageAnswers: 1,
    refreshes: 0,
    revoked: false,
  });
  // The session is kept exactly as it was: not rewritten, not deleted.
  expect(await sessionCookie(context)).toBe(cookie);
  const kept = await readSession(context);
  expect(kept).toMatchObject({
    sub: HOSTILE_USER.sub,
    refreshToken: session.refreshToken,
    accessToken: session.accessToken,
  });
  await logLine(
    (l) => l.event === 'refresh_failed' && l.sub === HOSTILE_USER.sub,
    'refresh_failed',
  );

  expect((await controlGrant('refresh-outage', session.refreshToken!, '?on=0')).outage).toBeNull();
  const up = await callBff(page);
  expect(up.status).toBe(200);
  expect(up.body).toMatchObject({ sub: HOSTILE_USER.sub, notes: [] });
  expect(await controlGrant('grant', session.refreshToken!)).toMatchObject({
    outageAnswers: 1,
    refreshes: 1,
    revoked: false,
  });
  // Refreshed: a new access token, and the refresh token rotated.
  const refreshed = await readSession(context);
  expect(refreshed.sub).toBe(HOSTILE_USER.sub);
  expect(refreshed.accessToken).not.toBe(session.accessToken);
  expect(refreshed.accessTokenExpiresAt).toBeGreaterThan(Date.now() / 1000);
  expect(refreshed.refreshToken).toBeTruthy();
  expect(refreshed.refreshToken).not.toBe(session.refreshToken);
});

test('a refresh that never gets an answer gives up at the app limit with 503 and keeps the session', async ({
  page,
  context,
}) => {
  const { session, cookie } = await signInWithExpiredAccessToken(page, context);
  await controlGrant('refresh-outage', session.refreshToken!, '?on=1&mode=hang');

  const down = await callBff(page);
  test.info().annotations.push({
    type: 'hanging refresh: 503 after',
    description: `${Math.round(down.ms)} ms`,
  });
  expect(down.status).toBe(503);
  expect(down.body).toMatchObject({ error: 'provider_unavailable' });
  expect(down.ms).toBeGreaterThanOrEqual(7_500); // lib/client/authorization-server.ts HTTP_TIMEOUT_MS
  expect(down.ms).toBeLessThan(12_000);
  expect(await sessionCookie(context)).toBe(cookie);
});

test('a refused refresh (invalid_grant) answers 401 signed_out and deletes the session cookie', async ({
  page,
  context,
}) => {
  const { session } = await signInWithExpiredAccessToken(page, context);
  expect((await controlGrant('revoke', session.refreshToken!)).revoked).toBe(true);

  const refused = await callBff(page);
  expect(refused.status).toBe(401);
  expect(refused.body).toMatchObject({ error: 'signed_out' });
  expect(await controlGrant('grant', session.refreshToken!)).toMatchObject({
    refreshAttempts: 1,
    refreshes: 0,
  });
  expect((await context.cookies()).map((c) => c.name)).not.toContain(SESSION_COOKIE);
  await logLine(
    (l) => l.event === 'refresh_rejected' && l.sub === HOSTILE_USER.sub,
    'refresh_rejected',
  );
});
