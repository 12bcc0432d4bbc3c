/**
 * The setup doctor page is for development: in the production build it does not exist, so it
 * never tells a visitor how the deployment is configured. (The checks themselves are tested in
 * test/doctor/.)
 */
import { expect, test } from '@playwright/test';

test('/setup is a 404 in production, signed out or in, and shows nothing of the configuration', async ({
  request,
}) => {
  const response = await request.get('/setup', { maxRedirects: 0 });
  expect(response.status()).toBe(404);
  const html = await response.text();
  for (const secret of [
    'OIDC_CLIENT_SECRET',
    'client secret',
    'discovery',
    'Setup doctor',
    'localhost:4000',
  ]) {
    expect(html, `the page mentions ${secret}`).not.toContain(secret);
  }
});
