/**
 * Client authentication at the token endpoint (OIDC_CLIENT_AUTH_METHOD), and what the client
 * makes of the token endpoint's answers to a refresh, against a real node:http token endpoint.
 *
 * The client id and every secret here contain reserved characters: with client_secret_basic,
 * RFC 6749 §2.3.1 form-urlencodes each before Base64, so `-` travels as `%2D`; a provider that
 * does not decode (Glewlwyd) refuses it, and client_secret_post is the way out. The endpoint
 * here decodes as the RFC says, and checks each method exactly.
 */
import { createServer } from 'node:http';
import { exportPKCS8, generateKeyPair, jwtVerify, type CryptoKey as JoseKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { basicCredentials, listenOnLoopback, readBody, sendJson } from '../support/http';

/** Reserved characters of RFC 3986 and form encoding, a space, and non-ASCII. */
const CLIENT_ID = 'app-1_client.id~x';
const SECRET = "s3cr-t_.~!*'()+/=%:@ &é€";
const KEY_ID = 'client-key-1';

interface Seen {
  method: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';
  body: URLSearchParams;
  authorization?: string;
}

let issuer: string;
let server: ReturnType<typeof createServer>;
let publicKey: JoseKey;
let privatePem: string;
const seen: Seen[] = [];
/** The next refresh answer: a status and body (raw string: sent as is, empty for none). */
let next: { status: number; body: string; contentType?: string } | undefined;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  publicKey = pair.publicKey;
  privatePem = await exportPKCS8(pair.privateKey);
  server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', issuer).pathname;
      if (path === '/.well-known/openid-configuration') {
        return sendJson(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/auth`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: [
            'client_secret_basic',
            'client_secret_post',
            'private_key_jwt',
          ],
        });
      }
      if (path !== '/token' || req.method !== 'POST')
        return sendJson(res, 404, { error: 'not_found' });
      const body = new URLSearchParams(await readBody(req));
      const authorization = req.headers.authorization;
      const method: Seen['method'] = authorization
        ? 'client_secret_basic'
        : body.has('client_assertion')
          ? 'private_key_jwt'
          : body.has('client_secret')
            ? 'client_secret_post'
            : 'none';
      seen.push({ method, body, authorization });
      if (next) {
        res.writeHead(next.status, next.contentType ? { 'content-type': next.contentType } : {});
        return res.end(next.body);
      }
      return sendJson(res, 200, { access_token: 'at-new', token_type: 'Bearer', expires_in: 60 });
    })();
  });
  issuer = await listenOnLoopback(server);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => server.close(resolve));
});

/** The client modules, loaded afresh for this environment. */
async function loadClient(env: Record<string, string | undefined>) {
  vi.resetModules();
  vi.unstubAllEnvs();
  const all: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    SESSION_SECRET: 'client-auth-test-session-secret-0123456789',
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: SECRET,
    OIDC_PROVIDER: undefined,
    OIDC_CLIENT_AUTH_METHOD: undefined,
    OIDC_CLIENT_PRIVATE_KEY: undefined,
    OIDC_CLIENT_PRIVATE_KEY_FILE: undefined,
    OIDC_CLIENT_KEY_ID: undefined,
    API_AUDIENCE: undefined,
    ...env,
  };
  for (const [name, value] of Object.entries(all)) vi.stubEnv(name, value);
  const [refresh, errors] = await Promise.all([
    import('@/lib/client/refresh'),
    import('@/lib/client/errors'),
  ]);
  return { ...refresh, ...errors };
}

const session = { sub: 'user-1', idToken: 'id-token', refreshToken: 'rt-1', scope: 'openid' };

async function refreshWith(env: Record<string, string | undefined>): Promise<Seen> {
  const client = await loadClient(env);
  seen.length = 0;
  next = undefined;
  const tokens = await client.refreshTokens(session);
  expect(tokens.accessToken).toBe('at-new');
  expect(seen).toHaveLength(1);
  return seen[0]!;
}

describe('OIDC_CLIENT_AUTH_METHOD, with reserved characters in the id and the secret', () => {
  it('client_secret_basic (the default): both parts form-urlencoded before Base64 (RFC 6749 §2.3.1)', async () => {
    const request = await refreshWith({});
    expect(request.method).toBe('client_secret_basic');
    expect(basicCredentials(request.authorization)).toEqual({ id: CLIENT_ID, secret: SECRET });
    // The raw header carries the encoded forms: `-` as %2D, a space as +.
    const raw = Buffer.from(request.authorization!.slice('Basic '.length), 'base64').toString(
      'utf8',
    );
    expect(raw).toContain('app%2D1%5Fclient%2Eid%7Ex:');
    expect(raw).not.toContain(SECRET);
    expect(request.body.has('client_secret')).toBe(false);
  });

  it('client_secret_post: client_id and client_secret in the form body, exactly (RFC 6749 §2.3.1)', async () => {
    const request = await refreshWith({ OIDC_CLIENT_AUTH_METHOD: 'client_secret_post' });
    expect(request.method).toBe('client_secret_post');
    expect(request.authorization).toBeUndefined();
    expect(request.body.get('client_id')).toBe(CLIENT_ID);
    expect(request.body.get('client_secret')).toBe(SECRET);
  });

  it.each([
    ['the PEM in OIDC_CLIENT_PRIVATE_KEY', () => ({ OIDC_CLIENT_PRIVATE_KEY: privatePem })],
    [
      'the PEM with its newlines written as \\n (one-line env files)',
      () => ({ OIDC_CLIENT_PRIVATE_KEY: privatePem.replaceAll('\n', '\\n') }),
    ],
  ])(
    'private_key_jwt with %s: a signed assertion, no secret (RFC 7523 §2.2, §3)',
    async (_label, env) => {
      const request = await refreshWith({
        OIDC_CLIENT_AUTH_METHOD: 'private_key_jwt',
        OIDC_CLIENT_SECRET: undefined,
        OIDC_CLIENT_KEY_ID: KEY_ID,
        ...env(),
      });
      expect(request.method).toBe('private_key_jwt');
      expect(request.authorization).toBeUndefined();
      expect(request.body.has('client_secret')).toBe(false);
      expect(request.body.get('client_assertion_type')).toBe(
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      );
      const { payload, protectedHeader } = await jwtVerify(
        request.body.get('client_assertion')!,
        publicKey,
        { algorithms: ['RS256'] },
      );
      expect(protectedHeader.kid).toBe(KEY_ID);
      // RFC 7523 §3: iss and sub are the client id; aud identifies the authorization server.
      expect(payload.iss).toBe(CLIENT_ID);
      expect(payload.sub).toBe(CLIENT_ID);
      expect([payload.aud].flat()).toContain(issuer);
      expect(typeof payload.jti).toBe('string');
      expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(300);
      // The secret is never sent, even though it is still in the environment of the first case.
      expect(request.body.toString()).not.toContain(encodeURIComponent(SECRET));
    },
  );

  it('private_key_jwt with the key in a file (OIDC_CLIENT_PRIVATE_KEY_FILE)', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(await mkdtemp(join(tmpdir(), 'client-key-')), 'key.pem');
    await writeFile(file, privatePem, { mode: 0o600 });
    const request = await refreshWith({
      OIDC_CLIENT_AUTH_METHOD: 'private_key_jwt',
      OIDC_CLIENT_SECRET: undefined,
      OIDC_CLIENT_PRIVATE_KEY_FILE: file,
    });
    const { payload } = await jwtVerify(request.body.get('client_assertion')!, publicKey, {
      algorithms: ['RS256'],
    });
    expect(payload.iss).toBe(CLIENT_ID);
  });

  it('a private key signed by another key pair does not verify: the endpoint can tell', async () => {
    const other = await generateKeyPair('RS256', { extractable: true });
    const request = await refreshWith({
      OIDC_CLIENT_AUTH_METHOD: 'private_key_jwt',
      OIDC_CLIENT_PRIVATE_KEY: await exportPKCS8(other.privateKey),
    });
    await expect(
      jwtVerify(request.body.get('client_assertion')!, publicKey, { algorithms: ['RS256'] }),
    ).rejects.toThrow(/signature/);
  });
});

describe("the token endpoint's answer to a refresh (RFC 6749 §5.2)", () => {
  async function refreshAnswered(answer: NonNullable<typeof next>) {
    const client = await loadClient({});
    next = answer;
    try {
      const error = await client.refreshTokens(session).then(
        () => undefined,
        (err: unknown) => err,
      );
      return { client, error };
    } finally {
      next = undefined;
    }
  }

  // Every 4xx but 429 is final: the session ends, whatever the body.
  it.each([
    [
      '400 with an empty body (Glewlwyd, a revoked refresh token)',
      { status: 400, body: '' },
      400,
      undefined,
    ],
    [
      '400 invalid_grant',
      { status: 400, body: '{"error":"invalid_grant"}', contentType: 'application/json' },
      400,
      'invalid_grant',
    ],
    [
      '401 invalid_client',
      { status: 401, body: '{"error":"invalid_client"}', contentType: 'application/json' },
      401,
      'invalid_client',
    ],
    [
      '400 with an HTML page',
      { status: 400, body: '<h1>Bad Request</h1>', contentType: 'text/html' },
      400,
      undefined,
    ],
    [
      '403 with plain text',
      { status: 403, body: 'forbidden', contentType: 'text/plain' },
      403,
      undefined,
    ],
  ])(
    '%s: RefreshRejectedError, with the status and error code for the log',
    async (_label, answer, status, code) => {
      const { client, error } = await refreshAnswered(answer);
      expect(error).toBeInstanceOf(client.RefreshRejectedError);
      expect((error as InstanceType<typeof client.RefreshRejectedError>).status).toBe(status);
      expect(client.providerAnswer((error as Error).cause)).toEqual(
        code ? { status, error: code } : { status },
      );
    },
  );

  // Only network errors, time-outs, 5xx and 429 are outages: the session is kept.
  it.each([
    [
      '429 Too Many Requests',
      { status: 429, body: '{"error":"slow_down"}', contentType: 'application/json' },
      429,
    ],
    [
      '500 with an HTML page',
      { status: 500, body: '<h1>oops</h1>', contentType: 'text/html' },
      500,
    ],
    ['503 with an empty body', { status: 503, body: '' }, 503],
  ])('%s: an outage, not a RefreshRejectedError', async (_label, answer, status) => {
    const { client, error } = await refreshAnswered(answer);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(client.RefreshRejectedError);
    expect(client.providerAnswer(error).status).toBe(status);
  });

  it('logs an error code only when it is a well-formed RFC 6749 code', async () => {
    const { client, error } = await refreshAnswered({
      status: 400,
      body: JSON.stringify({ error: 'bad"code\u0000<script>' }),
      contentType: 'application/json',
    });
    expect(client.providerAnswer((error as Error).cause)).toEqual({
      status: 400,
      error: 'malformed',
    });
  });
});

describe('providerAnswer: what the log says the provider answered', () => {
  it('reads the error code of an authorization error response at the callback (RFC 6749 §4.1.2.1)', async () => {
    const oauth = await import('oauth4webapi');
    const { providerAnswer } = await import('@/lib/client/errors');
    const error = new oauth.AuthorizationResponseError('authorization response error', {
      cause: new URLSearchParams('error=invalid_scope&error_description=<b>x</b>'),
    });
    expect(providerAnswer({ cause: error })).toEqual({ error: 'invalid_scope' });
    expect(providerAnswer(new DOMException('late', 'TimeoutError'))).toEqual({ error: 'timeout' });
    expect(providerAnswer(new TypeError('fetch failed'))).toEqual({ error: 'network' });
    expect(providerAnswer(new Error('anything else'))).toEqual({});
  });
});
