import { expect, test } from '@playwright/test';
import { APP_URL, IDP_URL, SESSION_COOKIE } from './env';
import { readSession, signIn } from './helpers';

test('alice signs in and sees who she is next to what the API lets her do', async ({
  page,
  context,
}) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in' }).click();

  // The local IdP's login page lists the demo accounts.
  await expect(page).toHaveURL(new RegExp(`^${IDP_URL}/interaction/`));
  await expect(
    page.getByRole('row', { name: /^alice alice may read and write her notes/ }),
  ).toBeVisible();
  await expect(page.getByRole('row', { name: /^bob bob may only read his notes/ })).toBeVisible();
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('alice');
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');
  // Who you are: claims of the validated ID token.
  const claims = page.getByTestId('id-token-claims');
  await expect(claims.locator('[data-claim="sub"]')).toHaveText('alice');
  await expect(claims.locator('[data-claim="email"]')).toHaveText('alice@example.com');
  await expect(claims.locator('[data-claim="iss"]')).toHaveText(IDP_URL);
  await expect(claims.locator('[data-claim="aud"]')).toHaveText('next-oidc-reference');
  // What you may do: the API's answer to the access token, called by the server.
  await expect(page.getByTestId('api-me-status')).toHaveText('200');
  const me = JSON.parse((await page.getByTestId('api-me-body').textContent())!);
  expect(me).toMatchObject({
    sub: 'alice',
    kind: 'user',
    client_id: 'next-oidc-reference',
    roles: ['notes-writer'],
    can: { readNotes: true, writeNotes: true },
  });
  await expect(page.getByTestId('api-notes-status')).toHaveText('200');

  // The session cookie is sealed, HttpOnly, SameSite=Lax, Secure, __Host- prefixed.
  const cookie = (await context.cookies()).find((c) => c.name === SESSION_COOKIE)!;
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/' });
  expect(cookie.value.startsWith('Fe26.2*')).toBe(true);
  // One cookie, within the 4096-byte limit browsers apply to name + value.
  const size = cookie.name.length + 1 + cookie.value.length;
  test.info().annotations.push({ type: 'session cookie bytes', description: String(size) });
  console.log(`session cookie: ${size} bytes`);
  expect(size).toBeLessThanOrEqual(4096);
  // The transaction cookie was deleted by the callback.
  expect((await context.cookies()).filter((c) => c.name.includes('oidc-tx'))).toEqual([]);
  const session = await readSession(context);
  expect(session.sub).toBe('alice');
  expect(session.refreshToken).toBeTruthy();
});

test('a deep link comes back to where it started after sign-in', async ({ page }) => {
  await signIn(page, 'alice', '/dashboard?view=notes#top');
  await expect(page).toHaveURL(`${APP_URL}/dashboard?view=notes`);
  await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');
});

test('an unauthenticated page request is redirected to sign in with returnTo', async ({
  request,
}) => {
  const response = await request.get('/dashboard?x=1', { maxRedirects: 0 });
  expect(response.status()).toBe(307);
  const location = new URL(response.headers().location!, APP_URL);
  expect(location.pathname).toBe('/auth/login');
  expect(location.searchParams.get('returnTo')).toBe('/dashboard?x=1');
});

test('returnTo pointing off-site lands on the home page instead', async ({ page }) => {
  await page.goto('/auth/login?returnTo=//evil.example/steal');
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('alice');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${APP_URL}/`);
});

test('two tabs signing in at the same time both succeed', async ({ context }) => {
  const [a, b] = [await context.newPage(), await context.newPage()];
  await a.goto('/dashboard?tab=a');
  await b.goto('/dashboard?tab=b');
  // Both transactions are pending at once: one cookie each, keyed by state.
  expect((await context.cookies()).filter((c) => c.name.includes('oidc-tx'))).toHaveLength(2);
  for (const page of [a, b]) {
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('alice');
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await expect(a).toHaveURL(`${APP_URL}/dashboard?tab=a`);
  await expect(b).toHaveURL(`${APP_URL}/dashboard?tab=b`);
  await expect(b.getByTestId('user-name')).toHaveText('Alice Liddell');
});

test('forced sign-ins cannot pile up transaction cookies: the oldest goes, the newest still signs in', async ({
  page,
  context,
}) => {
  // A page the user visits makes the browser start sign-in again and again (top-level
  // navigations carry SameSite=Lax cookies). Each would add a cookie sent on every request.
  const started: string[] = [];
  for (let i = 0; i < 8; i++) {
    await page.goto(`/auth/login?returnTo=${encodeURIComponent(`/dashboard?forced=${i}`)}`);
    await expect(page).toHaveURL(new RegExp(`^${IDP_URL}/interaction/`));
    started.push(new URL(page.url()).pathname);
  }
  const pending = (await context.cookies(APP_URL)).filter((c) =>
    c.name.startsWith('__Host-oidc-tx.'),
  );
  expect(pending).toHaveLength(2); // MAX_PENDING_TRANSACTIONS
  for (const cookie of pending) {
    expect(cookie.name.length + 1 + cookie.value.length).toBeLessThan(1024);
    expect(cookie).toMatchObject({ path: '/', secure: true, httpOnly: true, sameSite: 'Lax' });
  }
  // The last sign-in started is among those kept: it finishes.
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('alice');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${APP_URL}/dashboard?forced=7`);
  await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');
});

test('a prefetch of the login link creates no transaction cookie', async ({ request }) => {
  const prefetches: Record<string, string>[] = [
    { 'Sec-Purpose': 'prefetch' },
    { Purpose: 'prefetch' },
    { 'Next-Router-Prefetch': '1' },
  ];
  for (const headers of prefetches) {
    const response = await request.get('/auth/login?returnTo=/dashboard', {
      headers,
      maxRedirects: 0,
    });
    expect(response.status()).toBe(204);
    expect(response.headers()['set-cookie']).toBeUndefined();
  }
});

test('cancelling at the identity provider shows a friendly page and creates no session', async ({
  page,
  context,
}) => {
  await page.goto('/dashboard');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page).toHaveURL(/\/auth\/error\?reason=access_denied&ref=[a-f0-9]{8}$/);
  await expect(page.getByRole('heading', { name: 'Sign-in was cancelled' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Try again' })).toHaveAttribute(
    'href',
    '/auth/login?returnTo=%2Fdashboard',
  );
  const names = (await context.cookies()).map((c) => c.name);
  expect(names).not.toContain(SESSION_COOKIE);
  expect(names.filter((n) => n.includes('oidc-tx'))).toEqual([]);
});

test('a callback without a matching login in this browser is refused without a stack trace', async ({
  page,
}) => {
  const response = await page.goto(
    '/auth/callback?code=stolen&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&iss=http%3A%2F%2Flocalhost%3A4000',
  );
  expect(response!.status()).toBe(200);
  await expect(page).toHaveURL(/reason=missing_transaction/);
  await expect(page.getByRole('heading', { name: 'This sign-in link has expired' })).toBeVisible();
  await expect(page.locator('body')).not.toContainText('Error:');
});
