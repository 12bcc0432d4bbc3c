/** public/: the favicon, the Open Graph image and robots.txt are served as files, signed in or not. */
import { expect, test } from '@playwright/test';
import { APP_URL } from './env';

const FILES: Array<[string, RegExp]> = [
  ['/favicon.ico', /^image\/(x-icon|vnd\.microsoft\.icon)/],
  ['/icon.svg', /^image\/svg\+xml/],
  ['/og.png', /^image\/png/],
  ['/robots.txt', /^text\/plain/],
];

for (const [path, type] of FILES) {
  test(`${path} is a file (200, ${type.source}), not a redirect to sign in`, async ({
    request,
  }) => {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(type);
    expect(response.headers()['x-content-type-options']).toBe('nosniff');
    expect((await response.body()).length).toBeGreaterThan(20);
  });
}

test('robots.txt keeps crawlers out of sign-in, the API and the BFF', async ({ request }) => {
  const robots = await (await request.get('/robots.txt')).text();
  for (const path of ['/auth/', '/api/', '/bff/']) expect(robots).toContain(`Disallow: ${path}`);
});

test('pages link the icons and an absolute Open Graph image on the configured origin', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.locator('meta[property="og:image"]')).toHaveAttribute(
    'content',
    `${APP_URL}/og.png`,
  );
  await expect(page.locator('link[rel="icon"][href^="/favicon.ico"]')).toHaveCount(1);
  await expect(page.locator('link[rel="icon"][href^="/icon.svg"]')).toHaveCount(1);
});
