/**
 * Cache-Control of the production build: `no-store` on every response that carries session or
 * token data (pages, RSC, the BFF, /auth, /api, whatever its status), with the baseline headers.
 */
import { expect, test, type APIResponse } from '@playwright/test';
import { LOCAL_IDP } from '../../lib/config';
import { APP_URL, IDP_URL } from '../env';
import { machineToken, readSession } from '../helpers';
import {
  BFF_HEADERS,
  expectBaseline,
  expectNoStore,
  get,
  signInCapturingCallback,
} from './helpers';

/**
 * A client-credentials token with `metrics:read` (machineToken() from ../helpers asks for
 * stats:read).
 */
async function metricsToken(): Promise<string> {
  const credentials = Buffer.from(
    `${LOCAL_IDP.machineClientId}:${LOCAL_IDP.machineClientSecret}`,
  ).toString('base64');
  const response = await fetch(`${IDP_URL}/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${credentials}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'metrics:read' }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

test('Cache-Control: no-store on every response with session or token data', async ({
  page,
  context,
  request,
}) => {
  const callback = await signInCapturingCallback(page);
  expectNoStore(callback, 'GET /auth/callback');
  const { accessToken } = await readSession(context);
  const bearer = { Authorization: `Bearer ${accessToken}` };
  const machine = { Authorization: `Bearer ${await machineToken()}` };

  const created = await context.request.post(`${APP_URL}/bff/notes`, {
    headers: BFF_HEADERS,
    data: { text: 'no-store check' },
  });
  expect(created.status()).toBe(201);
  const { note } = (await created.json()) as { note: { id: string } };

  const responses: [string, APIResponse, number][] = [
    ['GET /dashboard', await get(context, '/dashboard'), 200],
    // Next answers an RSC request without its cache-busting `_rsc` parameter with a redirect
    // that adds it: followed here, on the app.
    [
      'GET /dashboard (RSC)',
      await context.request.get(`${APP_URL}/dashboard`, { headers: { RSC: '1' }, maxRedirects: 3 }),
      200,
    ],
    ['GET / (signed in)', await get(context, '/'), 200],
    ['GET /bff/notes', await get(context, '/bff/notes', BFF_HEADERS), 200],
    ['POST /bff/notes', created, 201],
    ['GET /auth/refresh', await get(context, '/auth/refresh?returnTo=/dashboard'), 303],
    ['GET /api/me', await request.get('/api/me', { headers: bearer }), 200],
    ['GET /api/notes', await request.get('/api/notes', { headers: bearer }), 200],
    [`GET /api/notes/:id`, await request.get(`/api/notes/${note.id}`, { headers: bearer }), 200],
    [
      'GET /api/notes/:id (404)',
      await request.get('/api/notes/no-such-note', { headers: bearer }),
      404,
    ],
    ['GET /api/stats', await request.get('/api/stats', { headers: machine }), 200],
    [
      'GET /api/metrics',
      await request.get('/api/metrics', {
        headers: { Authorization: `Bearer ${await metricsToken()}` },
      }),
      200,
    ],
    [
      'GET /api/metrics (JSON)',
      await request.get('/api/metrics', {
        headers: { Authorization: `Bearer ${await metricsToken()}`, Accept: 'application/json' },
      }),
      200,
    ],
    ['GET /api/me (401)', await request.get('/api/me'), 401],
    ['GET /api/stats (403)', await request.get('/api/stats', { headers: bearer }), 403],
    [
      'GET /auth/login',
      await request.get('/auth/login?returnTo=/dashboard', { maxRedirects: 0 }),
      303,
    ],
  ];
  for (const [label, response, status] of responses) {
    expect(response.status(), label).toBe(status);
    expectNoStore(response, label);
    expectBaseline(response, label);
  }
  const dashboard = await responses[0]![1].text();
  expect(dashboard).toContain('Who you are');
  const rsc = await responses[1]![1].text();
  expect(rsc).toContain('alice@example.com');
});
