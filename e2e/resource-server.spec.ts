/**
 * The resource server over the wire, against the production build, with real tokens from the
 * real local IdP: opaque tokens validated by RFC 7662 introspection (and revoked at the IdP),
 * the metrics endpoint, RFC 6750's rules on where a token may travel, duplicate Authorization
 * headers on a raw socket, and per-user permissions on notes.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { expect, test, type APIResponse, type Browser } from '@playwright/test';
import { LOCAL_IDP } from '../lib/config';
import { APP_URL, IDP_URL, SESSION_COOKIE } from './env';
import { readSession, signIn, type Session } from './helpers';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const OPAQUE_CLIENT = basic(LOCAL_IDP.opaqueMachineClientId, LOCAL_IDP.opaqueMachineClientSecret);
const MACHINE_CLIENT = basic(LOCAL_IDP.machineClientId, LOCAL_IDP.machineClientSecret);

/** A client-credentials access token from the real local IdP. */
async function clientCredentials(authorization: string, scope: string): Promise<string> {
  const response = await fetch(`${IDP_URL}/token`, {
    method: 'POST',
    headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    access_token: string;
    token_type: string;
    scope: string;
  };
  expect(body.token_type).toBe('Bearer');
  expect(body.scope).toBe(scope);
  return body.access_token;
}

const opaqueToken = () => clientCredentials(OPAQUE_CLIENT, 'stats:read');
const metricsToken = () => clientCredentials(MACHINE_CLIENT, 'stats:read metrics:read');

/** Signs `user` in through the real IdP in a fresh browser context; returns the tokens the app holds. */
async function signedIn(browser: Browser, user: 'alice' | 'bob') {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, user);
  await expect(page.getByTestId('user-name')).toBeVisible();
  const session: Session = await readSession(context);
  expect(session.sub).toBe(user);
  return { context, page, session };
}

/** RFC 6750 §5.1 / RFC 9111: no /api response may be stored. */
function expectNoStore(response: APIResponse) {
  expect(response.headers()['cache-control'], `Cache-Control of ${response.url()}`).toBe(
    'no-store',
  );
}

/** One raw HTTP/1.1 exchange on a fresh socket (Connection: close): the status and the headers. */
function rawRequest(request: string): Promise<{ status: number; headers: string; body: string }> {
  const { hostname, port } = new URL(APP_URL);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(15_000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = split < 0 ? text : text.slice(0, split);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (!status)
        return reject(new Error(`no HTTP status line in ${JSON.stringify(text.slice(0, 200))}`));
      resolve({
        status: Number(status[1]),
        headers: head,
        body: split < 0 ? '' : text.slice(split + 4),
      });
    });
    socket.write(request, 'latin1');
  });
}

function twoAuthorizationHeaders(first: string, second: string): string {
  const { host } = new URL(APP_URL);
  return [
    'GET /api/me HTTP/1.1',
    `Host: ${host}`,
    `Authorization: Bearer ${first}`,
    `Authorization: Bearer ${second}`,
    'Accept: application/json',
    'Connection: close',
    '',
    '',
  ].join('\r\n');
}

/** The subject in a (chunked or plain) JSON body from /api/me. */
function subIn(body: string): string | undefined {
  return /"sub":"([^"]+)"/.exec(body)?.[1];
}

test.describe('opaque access tokens (RFC 7662 introspection)', () => {
  test('an opaque machine token is introspected and accepted', async ({ request }) => {
    const token = await opaqueToken();
    expect(token.split('.')).toHaveLength(1); // not a JWT: only the issuer can say what it is

    const stats = await request.get('/api/stats', { headers: bearer(token) });
    expect(stats.status()).toBe(200);
    expectNoStore(stats);
    expect(await stats.json()).toMatchObject({
      client_id: LOCAL_IDP.opaqueMachineClientId,
      users: expect.any(Number),
    });

    const me = await request.get('/api/me', { headers: bearer(token) });
    expect(me.status()).toBe(200);
    expectNoStore(me);
    expect(await me.json()).toMatchObject({
      sub: LOCAL_IDP.opaqueMachineClientId,
      client_id: LOCAL_IDP.opaqueMachineClientId,
      kind: 'machine',
      format: 'opaque',
      scopes: ['stats:read'],
    });

    // Machine token: no user, so no notes.
    expect((await request.get('/api/notes', { headers: bearer(token) })).status()).toBe(403);
  });

  test('a random opaque-looking string is invalid_token', async ({ request }) => {
    const token = randomBytes(32).toString('base64url');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const response = await request.get('/api/stats', { headers: bearer(token) });
    expect(response.status()).toBe(401);
    expectNoStore(response);
    expect(response.headers()['www-authenticate']).toMatch(
      /^Bearer realm="api", error="invalid_token"/,
    );
    expect((await response.json()).error).toBe('invalid_token');
  });

  test('a JWE-shaped (five-segment) token is invalid_token, not 503', async ({ request }) => {
    // Not three segments, so the API introspects it; oidc-provider refuses to introspect a
    // "structured" token with 400 unsupported_token_type. The issuer did answer: the token is
    // simply not valid here (RFC 6750 §3.1 invalid_token, 401), and it is not an outage.
    const jwt = await metricsToken();
    for (const token of [`${jwt}..`, 'eyJhbGciOiJSUzI1NiJ9.b.c.d.e']) {
      const response = await request.get('/api/me', { headers: bearer(token) });
      expect(response.status(), token.slice(-30)).toBe(401);
      expectNoStore(response);
      expect(response.headers()['www-authenticate']).toMatch(
        /^Bearer realm="api", error="invalid_token"/,
      );
      expect((await response.json()).error).toBe('invalid_token');
    }
  });

  test('an opaque token revoked at the IdP before its first use is invalid_token', async ({
    request,
  }) => {
    const token = await opaqueToken();
    // RFC 7009: the client revokes its own token.
    const revoked = await fetch(`${IDP_URL}/token/revocation`, {
      method: 'POST',
      headers: {
        Authorization: OPAQUE_CLIENT,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
    });
    expect(revoked.status).toBe(200);

    for (const path of ['/api/stats', '/api/me']) {
      const response = await request.get(path, { headers: bearer(token) });
      expect(response.status(), path).toBe(401);
      expectNoStore(response);
      expect(response.headers()['www-authenticate']).toMatch(
        /^Bearer realm="api", error="invalid_token"/,
      );
      expect((await response.json()).error).toBe('invalid_token');
    }
  });
});

test.describe('GET /api/metrics', () => {
  const LINE = /^api_rejections_total\{reason="([a-z_]+)"\} (\d+)$/gm;
  const parse = (text: string) =>
    Object.fromEntries([...text.matchAll(LINE)].map((m) => [m[1]!, Number(m[2])]));

  test('a machine token with metrics:read reads the rejection counters, text and JSON', async ({
    request,
  }) => {
    const token = await metricsToken();
    const read = async () => {
      const response = await request.get('/api/metrics', { headers: bearer(token) });
      expect(response.status()).toBe(200);
      expectNoStore(response);
      expect(response.headers()['content-type']).toBe('text/plain; version=0.0.4');
      const text = await response.text();
      expect(text).toContain('# TYPE api_rejections_total counter');
      // Every line is a comment or a sample of the one counter.
      for (const line of text.trimEnd().split('\n'))
        expect(line).toMatch(
          /^(# (HELP|TYPE) api_rejections_total .+|api_rejections_total\{reason="[a-z_]+"\} \d+)$/,
        );
      return { text, counts: parse(text) };
    };

    const before = await read();
    // A request without any credential, and one with a garbage three-segment "JWT": the first is
    // missing_token (bearer.ts), the second fails JWS parsing in jose, which is `malformed`.
    const none = await request.get('/api/me');
    expect(none.status()).toBe(401);
    const garbage = await request.get('/api/me', { headers: bearer('not.a.jwt') });
    expect(garbage.status()).toBe(401);
    expect((await garbage.json()).error).toBe('invalid_token');

    const after = await read();
    expect(after.text).toMatch(/^api_rejections_total\{reason="missing_token"\} \d+$/m);
    expect(after.text).toMatch(/^api_rejections_total\{reason="malformed"\} \d+$/m);
    // Other tests run in parallel against the same server: at least one more each.
    expect(after.counts.missing_token).toBeGreaterThanOrEqual(
      (before.counts.missing_token ?? 0) + 1,
    );
    expect(after.counts.malformed).toBeGreaterThanOrEqual((before.counts.malformed ?? 0) + 1);

    const json = await request.get('/api/metrics', {
      headers: { ...bearer(token), Accept: 'application/json' },
    });
    expect(json.status()).toBe(200);
    expectNoStore(json);
    expect(json.headers()['content-type']).toMatch(/^application\/json/);
    const { rejections } = (await json.json()) as { rejections: Record<string, number> };
    expect(Object.keys(rejections)).toEqual(expect.arrayContaining(['missing_token', 'malformed']));
    for (const [reason, count] of Object.entries(after.counts))
      expect(rejections[reason], reason).toBeGreaterThanOrEqual(count);
  });

  test('metrics are refused without a token, without metrics:read, and to a user', async ({
    request,
    browser,
  }) => {
    const none = await request.get('/api/metrics');
    expect(none.status()).toBe(401);
    expectNoStore(none);
    expect(none.headers()['www-authenticate']).toBe('Bearer realm="api"');

    const opaque = await request.get('/api/metrics', { headers: bearer(await opaqueToken()) });
    expect(opaque.status()).toBe(403);
    expectNoStore(opaque);
    expect(opaque.headers()['www-authenticate']).toMatch(/error="insufficient_scope"/);
    expect(opaque.headers()['www-authenticate']).toMatch(/scope="metrics:read"/);
    expect((await opaque.json()).error).toBe('insufficient_scope');

    const { context, session } = await signedIn(browser, 'alice');
    const user = await request.get('/api/metrics', { headers: bearer(session.accessToken) });
    expect(user.status()).toBe(403);
    expectNoStore(user);
    expect((await user.json()).error).toBe('insufficient_scope');
    await context.close();
  });
});

test.describe('RFC 6750 over the wire', () => {
  test('the token travels in the Authorization header and nowhere else', async ({
    browser,
    request,
  }) => {
    const { context, session } = await signedIn(browser, 'alice');
    const token = session.accessToken;

    // §2.3 query parameter: refused, even with a valid token.
    const query = await request.get(`/api/me?access_token=${encodeURIComponent(token)}`);
    expect(query.status()).toBe(400);
    expectNoStore(query);
    expect(query.headers()['www-authenticate']).toMatch(
      /^Bearer realm="api", error="invalid_request"/,
    );
    expect((await query.json()).error).toBe('invalid_request');

    // §2.2 form-encoded body: refused.
    const form = await request.post('/api/notes', {
      form: { access_token: token, text: 'from a form' },
    });
    expect(form.status()).toBe(400);
    expectNoStore(form);
    expect(form.headers()['www-authenticate']).toMatch(
      /^Bearer realm="api", error="invalid_request"/,
    );
    expect((await form.json()).error).toBe('invalid_request');

    // `Bearer` with nothing after it.
    for (const empty of ['Bearer', 'Bearer ']) {
      const response = await request.get('/api/me', { headers: { Authorization: empty } });
      expect(response.status(), JSON.stringify(empty)).toBe(400);
      expectNoStore(response);
      expect(response.headers()['www-authenticate']).toMatch(
        /^Bearer realm="api", error="invalid_request"/,
      );
    }

    // The signed-in browser's real session cookie alone: no credential at all, so a bare
    // challenge. The metrics prove the cookie did arrive (cookie_instead_of_token, not
    // missing_token).
    const cookie = (await context.cookies(APP_URL)).find((c) => c.name === SESSION_COOKIE);
    expect(cookie, 'session cookie').toBeDefined();
    const metrics = await metricsToken();
    const counted = async () => {
      const response = await request.get('/api/metrics', {
        headers: { ...bearer(metrics), Accept: 'application/json' },
      });
      return (
        ((await response.json()) as { rejections: Record<string, number> }).rejections
          .cookie_instead_of_token ?? 0
      );
    };
    const before = await counted();
    const cookieOnly = await request.get('/api/me', {
      headers: { Cookie: `${SESSION_COOKIE}=${cookie!.value}` },
    });
    expect(cookieOnly.status()).toBe(401);
    expectNoStore(cookieOnly);
    expect(cookieOnly.headers()['www-authenticate']).toBe('Bearer realm="api"');
    expect(await cookieOnly.json()).toMatchObject({ error: 'unauthorized' });
    expect(await counted()).toBeGreaterThanOrEqual(before + 1);
    // And as the browser context itself sends it.
    const fromContext = await context.request.get(`${APP_URL}/api/me`);
    expect(fromContext.status()).toBe(401);
    expect(fromContext.headers()['www-authenticate']).toBe('Bearer realm="api"');

    // RFC 7235 §2.1: the scheme is case-insensitive.
    for (const scheme of ['bearer', 'BEARER']) {
      const response = await request.get('/api/me', {
        headers: { Authorization: `${scheme} ${token}` },
      });
      expect(response.status(), scheme).toBe(200);
      expectNoStore(response);
      expect((await response.json()).sub).toBe('alice');
    }
    // And the plain request, for completeness: also no-store.
    const ok = await request.get('/api/notes', { headers: bearer(token) });
    expect(ok.status()).toBe(200);
    expectNoStore(ok);
    await context.close();
  });

  test('two Authorization headers on a raw socket: the first one wins, the second is dropped', async ({
    browser,
  }) => {
    const alice = await signedIn(browser, 'alice');
    const bob = await signedIn(browser, 'bob');
    const a = alice.session.accessToken;
    const b = bob.session.accessToken;

    // Node's HTTP server discards duplicate `authorization` headers and keeps the first
    // (https://nodejs.org/api/http.html#messageheaders); `next start` sees one header only, so
    // bearer.ts's comma check ("multiple_credentials") never sees them. Observed outcomes:
    const tokenFirst = await rawRequest(twoAuthorizationHeaders(a, 'garbage'));
    expect(tokenFirst.status).toBe(200);
    expect(subIn(tokenFirst.body)).toBe('alice');
    expect(tokenFirst.headers).toMatch(/^cache-control: no-store$/im);

    const garbageFirst = await rawRequest(twoAuthorizationHeaders('garbage', a));
    expect(garbageFirst.status).toBe(401);
    expect(garbageFirst.headers).toMatch(
      /^www-authenticate: Bearer realm="api", error="invalid_token"/im,
    );
    expect(garbageFirst.headers).toMatch(/^cache-control: no-store$/im);

    // Two valid tokens of different users: the identity is the first header's, never a mix.
    const aliceFirst = await rawRequest(twoAuthorizationHeaders(a, b));
    expect(aliceFirst.status).toBe(200);
    expect(subIn(aliceFirst.body)).toBe('alice');
    const bobFirst = await rawRequest(twoAuthorizationHeaders(b, a));
    expect(bobFirst.status).toBe(200);
    expect(subIn(bobFirst.body)).toBe('bob');

    // Two credentials in ONE header do reach the app, which refuses them.
    const { host } = new URL(APP_URL);
    const oneHeader = await rawRequest(
      `GET /api/me HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${a}, Bearer garbage\r\nConnection: close\r\n\r\n`,
    );
    expect(oneHeader.status).toBe(400);
    expect(oneHeader.headers).toMatch(
      /^www-authenticate: Bearer realm="api", error="invalid_request"/im,
    );
    expect(oneHeader.headers).toMatch(/^cache-control: no-store$/im);

    await alice.context.close();
    await bob.context.close();
  });
});

test('a note is visible to its owner only: 404 for another user', async ({ browser, request }) => {
  const alice = await signedIn(browser, 'alice');
  const bob = await signedIn(browser, 'bob');

  const text = `private note ${randomBytes(6).toString('hex')}`;
  const created = await request.post('/api/notes', {
    headers: bearer(alice.session.accessToken),
    data: { text },
  });
  expect(created.status()).toBe(201);
  expectNoStore(created);
  const { note } = (await created.json()) as { note: { id: string; text: string } };
  expect(note).toMatchObject({ id: expect.any(String), text });

  const mine = await request.get(`/api/notes/${note.id}`, {
    headers: bearer(alice.session.accessToken),
  });
  expect(mine.status()).toBe(200);
  expectNoStore(mine);
  expect(await mine.json()).toMatchObject({ sub: 'alice', note: { id: note.id, text } });

  // Not 403: bob does not learn that the note exists.
  const theirs = await request.get(`/api/notes/${note.id}`, {
    headers: bearer(bob.session.accessToken),
  });
  expect(theirs.status()).toBe(404);
  expectNoStore(theirs);
  expect(await theirs.json()).toEqual({ error: 'not_found' });
  // Nor in his list.
  const list = await request.get('/api/notes', { headers: bearer(bob.session.accessToken) });
  expect(JSON.stringify(await list.json())).not.toContain(note.id);

  // A note id that does not exist at all looks the same to alice.
  const missing = await request.get(`/api/notes/${crypto.randomUUID()}`, {
    headers: bearer(alice.session.accessToken),
  });
  expect(missing.status()).toBe(404);

  await alice.context.close();
  await bob.context.close();
});
