/**
 * The headers every response of the production build carries, whatever it is (a page, a redirect,
 * a 400, a 404, a static file, a route handler, a 405, HEAD): HSTS, X-Frame-Options: DENY,
 * X-Content-Type-Options: nosniff, Cross-Origin-Opener-Policy: same-origin, and no X-Powered-By.
 */
import { expect, test, type APIResponse } from '@playwright/test';
import { expectBaseline } from './helpers';

test('HSTS, X-Frame-Options, nosniff and no X-Powered-By on every kind of response', async ({
  request,
}) => {
  const home = await request.get('/');
  const html = await home.text();
  const asset = /<script src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
  expect(asset, 'a static script in the home page').toBeDefined();
  const stylesheet = /<link rel="stylesheet" href="(\/_next\/static\/[^"]+\.css)"/.exec(html)?.[1];
  expect(stylesheet, 'a stylesheet in the home page').toBeDefined();
  const responses: [string, APIResponse, number][] = [
    ['page /', home, 200],
    ['page /auth/error', await request.get('/auth/error?reason=access_denied'), 200],
    ['guard redirect /dashboard', await request.get('/dashboard', { maxRedirects: 0 }), 307],
    ['path hygiene 400', await request.get('/%E0%A4%A', { maxRedirects: 0 }), 400],
    ['not found', await request.get('/_next/static/no-such-file.js'), 404],
    ['static script', await request.get(asset!), 200],
    ['stylesheet', await request.get(stylesheet!), 200],
    ['route handler /api/me', await request.get('/api/me'), 401],
    ['route handler /bff/notes', await request.get('/bff/notes', { maxRedirects: 0 }), 403],
    ['redirect /auth/login', await request.get('/auth/login', { maxRedirects: 0 }), 303],
    ['405 /auth/logout', await request.get('/auth/logout', { maxRedirects: 0 }), 405],
    ['HEAD /', await request.head('/'), 200],
  ];
  for (const [label, response, status] of responses) {
    expect(response.status(), label).toBe(status);
    expectBaseline(response, label);
  }
});
