/** The BFF route: the browser's button calls /bff/notes; the server attaches the token. */
import { expect, test } from '@playwright/test';
import { APP_URL } from './env';
import { signIn } from './helpers';

test('alice adds and reads a note through the BFF; bob is refused the write', async ({
  browser,
}) => {
  const alice = await (await browser.newContext()).newPage();
  await signIn(alice, 'alice');
  await alice.getByLabel('Note text').fill('buy tea');
  await alice.getByRole('button', { name: 'Add a note' }).click();
  await expect(alice.getByTestId('bff-status')).toHaveText('201');
  await alice.getByRole('button', { name: 'Read my notes' }).click();
  await expect(alice.getByTestId('bff-status')).toHaveText('200');
  await expect(alice.getByTestId('bff-body')).toContainText('buy tea');

  const bob = await (await browser.newContext()).newPage();
  await signIn(bob, 'bob');
  await bob.getByRole('button', { name: 'Add a note' }).click();
  await expect(bob.getByTestId('bff-status')).toHaveText('403');
  // He holds the notes:write scope; the API's own permission data refuses him.
  await expect(bob.getByTestId('bff-body')).toContainText('forbidden');
  // The console says why in the API's words: not a scope, the API's own rule.
  await expect(bob.getByTestId('bff-why')).toContainText(
    "the token has the scope; the API's own rule refused it",
  );
  await expect(bob.getByTestId('bff-why')).toContainText('This account may not write notes.');
  // Notes are keyed by the token's sub: bob does not see alice's.
  await bob.getByRole('button', { name: 'Read my notes' }).click();
  await expect(bob.getByTestId('bff-status')).toHaveText('200');
  await expect(bob.getByTestId('bff-body')).not.toContainText('buy tea');
});

test('the BFF refuses requests without its header or from another origin', async ({
  page,
  context,
}) => {
  await signIn(page, 'alice');
  await expect(page.getByTestId('user-name')).toBeVisible();
  const api = context.request;
  // The browser's cookie is attached in every case below.
  expect((await api.get(`${APP_URL}/bff/notes`, { headers: { Origin: APP_URL } })).status()).toBe(
    403,
  );
  expect(
    (
      await api.get(`${APP_URL}/bff/notes`, {
        headers: { 'x-bff-request': '1', Origin: 'http://evil.example' },
      })
    ).status(),
  ).toBe(403);
  expect(
    (
      await api.post(`${APP_URL}/bff/notes`, {
        headers: { 'x-bff-request': '1', 'Sec-Fetch-Site': 'cross-site' },
        data: { text: 'x' },
      })
    ).status(),
  ).toBe(403);
  // The same request from our origin works.
  expect(
    (
      await api.get(`${APP_URL}/bff/notes`, { headers: { 'x-bff-request': '1', Origin: APP_URL } })
    ).status(),
  ).toBe(200);
});

test('without a session the BFF answers 401, not a token or a redirect', async ({ request }) => {
  const response = await request.get('/bff/notes', {
    headers: { 'x-bff-request': '1', Origin: APP_URL },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(401);
  expect(await response.json()).toMatchObject({ error: 'signed_out' });
});
