/**
 * /api answers every method and every path in its JSON error shape, with no-store: a 405 with
 * `Allow` for a method a route does not serve, a 404 for a path with no endpoint; and what Next
 * answers by itself there, on /auth and on /bff (HEAD, OPTIONS, its own 404 and 405) is no-store
 * too.
 */
import { expect, test } from '@playwright/test';
import { expectBaseline, expectNoStore } from './helpers';

test('/api answers every method and every path with JSON and no-store: 405 with Allow, 404 for no endpoint', async ({
  request,
}) => {
  const unsupported: Array<[string, string, string]> = [
    ['POST', '/api/me', 'GET, HEAD, OPTIONS'],
    ['DELETE', '/api/me', 'GET, HEAD, OPTIONS'],
    ['PUT', '/api/notes', 'GET, POST, HEAD, OPTIONS'],
    ['PATCH', '/api/stats', 'GET, HEAD, OPTIONS'],
    ['POST', '/api/notes/some-id', 'GET, HEAD, OPTIONS'],
    ['DELETE', '/api/metrics', 'GET, HEAD, OPTIONS'],
  ];
  for (const [method, path, allow] of unsupported) {
    const label = `${method} ${path}`;
    const response = await request.fetch(path, {
      method,
      headers: { Authorization: 'Bearer x.y.z' },
      maxRedirects: 0,
    });
    expect(response.status(), label).toBe(405);
    expect(response.headers().allow, label).toBe(allow);
    expect(await response.json(), label).toMatchObject({ error: 'method_not_allowed' });
    expectNoStore(response, label);
    expectBaseline(response, label);
  }
  const nowhere: Array<[string, string]> = [
    ['GET', '/api'],
    ['GET', '/api/nope'],
    ['POST', '/api/nope'],
    ['DELETE', '/api/notes/a/b'],
    ['GET', '/api/me/extra'],
    ['OPTIONS', '/api/nope'],
  ];
  for (const [method, path] of nowhere) {
    const label = `${method} ${path}`;
    const response = await request.fetch(path, { method, maxRedirects: 0 });
    expect(response.status(), label).toBe(404);
    expect(response.headers()['content-type'], label).toContain('application/json');
    expect(await response.json(), label).toEqual({
      error: 'not_found',
      error_description: 'There is no API endpoint at this path.',
    });
    expectNoStore(response, label);
  }
  // What Next answers by itself (HEAD from GET, OPTIONS with Allow) is no-store too (next.config.ts).
  for (const [method, path, status] of [
    ['HEAD', '/api/me', 401],
    ['OPTIONS', '/api/me', 204],
    ['OPTIONS', '/api/notes', 204],
  ] as const) {
    const response = await request.fetch(path, { method, maxRedirects: 0 });
    expect(response.status(), `${method} ${path}`).toBe(status);
    expectNoStore(response, `${method} ${path}`);
  }
  // /auth and /bff: Next's own 405 and 404 are no-store as well.
  for (const [method, path, status] of [
    ['GET', '/auth/logout', 405],
    ['GET', '/bff/nope', 404],
    ['PUT', '/auth/callback', 405],
  ] as const) {
    const response = await request.fetch(path, { method, maxRedirects: 0 });
    expect(response.status(), `${method} ${path}`).toBe(status);
    expectNoStore(response, `${method} ${path}`);
  }
});
