/**
 * The resource server, called with real tokens from the real flow: the access token the app
 * holds for alice or bob (read from the sealed session cookie with the test secret), the ID
 * token from the same login, and a client-credentials token from the local IdP.
 */
import { expect, test } from '@playwright/test';
import { APP_URL } from './env';
import { machineToken, readSession, signIn } from './helpers';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

test('without a token /api answers 401 with a bare Bearer challenge', async ({ request }) => {
  const response = await request.get('/api/me');
  expect(response.status()).toBe(401);
  expect(response.headers()['www-authenticate']).toBe('Bearer realm="api"');
  expect(response.headers()['cache-control']).toBe('no-store');
});

test('the session cookie is not a credential for /api', async ({ page, context }) => {
  await signIn(page, 'alice');
  await expect(page.getByTestId('user-name')).toBeVisible();
  // The browser context sends its cookies; the resource server must ignore them.
  const response = await context.request.get(`${APP_URL}/api/me`);
  expect(response.status()).toBe(401);
});

test('alice: the access token is accepted, the ID token is rejected as invalid_token', async ({
  page,
  context,
  request,
}) => {
  await signIn(page, 'alice');
  await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');
  const { accessToken, idToken } = await readSession(context);

  const ok = await request.get('/api/me', { headers: bearer(accessToken) });
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toMatchObject({
    sub: 'alice',
    kind: 'user',
    scopes: expect.arrayContaining(['notes:read', 'notes:write']),
  });

  const created = await request.post('/api/notes', {
    headers: bearer(accessToken),
    data: { text: 'from the API test' },
  });
  expect(created.status()).toBe(201);
  const list = await request.get('/api/notes', { headers: bearer(accessToken) });
  expect((await list.json()).notes.map((n: { text: string }) => n.text)).toContain(
    'from the API test',
  );

  // The ID token is signed by the same issuer with the same keys, but it is not an access token.
  const rejected = await request.get('/api/me', { headers: bearer(idToken) });
  expect(rejected.status()).toBe(401);
  expect(rejected.headers()['www-authenticate']).toMatch(
    /^Bearer realm="api", error="invalid_token"/,
  );
  expect((await rejected.json()).error).toBe('invalid_token');

  // A forged token: alice's access token with its payload changed to claim bob.
  const [h, p, s] = accessToken.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'bob' })).toString('base64url')}.${s}`;
  const forgedResponse = await request.get('/api/me', { headers: bearer(forged) });
  expect(forgedResponse.status()).toBe(401);
  expect((await forgedResponse.json()).error).toBe('invalid_token');
});

test("bob: his token carries notes:write, but the API's own data refuses the write (403 forbidden, not insufficient_scope)", async ({
  page,
  context,
  request,
}) => {
  await signIn(page, 'bob');
  await expect(page.getByTestId('user-name')).toHaveText('Bob Builder');
  const me = JSON.parse((await page.getByTestId('api-me-body').textContent())!);
  expect(me).toMatchObject({ roles: [], can: { readNotes: true, writeNotes: false } });
  expect(me.scopes).toEqual(expect.arrayContaining(['notes:read', 'notes:write']));

  const { accessToken } = await readSession(context);
  expect((await request.get('/api/notes', { headers: bearer(accessToken) })).status()).toBe(200);
  const write = await request.post('/api/notes', {
    headers: bearer(accessToken),
    data: { text: 'bob was here' },
  });
  // The scope let the client ask; the writer role (lib/resource-server/permissions.ts) is missing.
  expect(write.status()).toBe(403);
  expect(write.headers()['www-authenticate']).toBeUndefined();
  expect(await write.json()).toMatchObject({ error: 'forbidden' });
});

test('a machine token (client credentials) calls /api/stats, and only that', async ({
  page,
  context,
  request,
}) => {
  const token = await machineToken();
  const stats = await request.get('/api/stats', { headers: bearer(token) });
  expect(stats.status()).toBe(200);
  expect(await stats.json()).toMatchObject({
    client_id: 'reference-machine-client',
    users: expect.any(Number),
  });
  // Notes are per user: a machine token has no user.
  expect((await request.get('/api/notes', { headers: bearer(token) })).status()).toBe(403);

  // And a user token cannot call the machine endpoint.
  await signIn(page, 'alice');
  await expect(page.getByTestId('user-name')).toBeVisible();
  const { accessToken } = await readSession(context);
  const denied = await request.get('/api/stats', { headers: bearer(accessToken) });
  expect(denied.status()).toBe(403);
  expect((await denied.json()).error).toBe('insufficient_scope');
});
