/**
 * app/error.tsx: a page whose rendering fails shows a friendly page, under the page CSP, and
 * nothing of the error. The failure is real: a session whose ID token cannot be decoded (sealed
 * with the e2e secret, as a corrupted session would be) makes the dashboard's decodeJwt throw.
 */
import { expect, test } from '@playwright/test';
import { readSession, signIn, writeSession } from './helpers';

test('a render error shows the friendly error page, never the error', async ({ page, context }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy|Refused to/i.test(message.text()))
      violations.push(message.text());
  });
  await signIn(page, 'alice');
  await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');
  await writeSession(context, { ...(await readSession(context)), idToken: 'not-a-jwt' });

  const response = await page.goto('/dashboard');
  await expect(page.getByTestId('error-page')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Something went wrong' })).toBeVisible();
  const html = await response!.text();
  for (const leak of [
    'Invalid JWT',
    'JWTInvalid',
    'decodeJwt',
    'node_modules',
    '.ts:',
    'Error: ',
  ]) {
    expect(html, `the page never shows "${leak}"`).not.toContain(leak);
    await expect(page.locator('body')).not.toContainText(leak);
  }
  expect(html, 'no stack frame').not.toMatch(/\bat \S+ \(\S+:\d+:\d+\)/);
  // The page is interactive (its script ran under the nonce): "Try again" re-renders, and fails the same way.
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('error-page')).toBeVisible();
  await page.getByRole('link', { name: 'Home' }).click();
  await expect(page).toHaveURL(/\/$/);
  expect(violations).toEqual([]);
});
