/** Idle timeout and absolute lifetime, through the Edge guard of the production build. */
import { expect, test } from '@playwright/test';
import { APP_URL, SESSION_COOKIE } from './env';
import { readSession, signIn, writeSession } from './helpers';

const now = () => Math.floor(Date.now() / 1000);

test('activity restarts the idle timer: the guard writes lastSeenAt back', async ({
  page,
  context,
}) => {
  await signIn(page, 'alice');
  await expect(page.getByTestId('user-name')).toBeVisible();
  const before = await readSession(context);
  await writeSession(context, { ...before, lastSeenAt: now() - 600 }); // 10 min idle, under the 1 h limit

  await page.goto('/dashboard');
  await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');
  const after = await readSession(context);
  expect(after.lastSeenAt).toBeGreaterThanOrEqual(now() - 5);
  expect(after.createdAt).toBe(before.createdAt); // the absolute lifetime does not move
});

for (const [name, change] of [
  ['idle for longer than SESSION_IDLE_TIMEOUT (1 h)', { lastSeenAt: now() - 3601 }],
  [
    'older than SESSION_MAX_AGE (12 h), though active',
    { createdAt: now() - 12 * 3600 - 1, lastSeenAt: now() - 5 },
  ],
] as const) {
  test(`a session ${name} is over: sign in again`, async ({ page, context }) => {
    await signIn(page, 'alice');
    await expect(page.getByTestId('user-name')).toBeVisible();
    await writeSession(context, { ...(await readSession(context)), ...change });

    const response = await context.request.get(`${APP_URL}/dashboard`, { maxRedirects: 0 });
    expect(response.status()).toBe(307);
    expect(response.headers().location).toBe('/auth/login?returnTo=%2Fdashboard');
    expect((await context.cookies()).map((c) => c.name)).not.toContain(SESSION_COOKIE);
    // The BFF and the refresh route agree.
    await writeSession(context, { ...(await readSessionAfterSignIn(page, context)), ...change });
    const bff = await context.request.get(`${APP_URL}/bff/notes`, {
      headers: { 'x-bff-request': '1', Origin: APP_URL },
    });
    expect(bff.status()).toBe(401);
  });
}

/** The session cookie was deleted above; sign in again (the IdP remembers us) to get a fresh one. */
async function readSessionAfterSignIn(
  page: import('@playwright/test').Page,
  context: import('@playwright/test').BrowserContext,
) {
  await page.goto('/dashboard');
  await expect(page.getByTestId('user-name')).toBeVisible();
  return readSession(context);
}
