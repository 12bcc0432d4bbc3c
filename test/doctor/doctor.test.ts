/**
 * The setup doctor (lib/doctor, scripts/doctor.ts) against a REAL OpenID provider on node:http
 * (127.0.0.1, ephemeral port): discovery under a path issuer, a JWKS, and a token endpoint whose
 * client-credentials answers each test sets. Tokens are signed by hand (test/resource-server/issuer.ts).
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor, type Finding } from '@/lib/doctor/doctor';
import { b64json, newKeyPair, nowS, signSegments, type KeyPair } from '../resource-server/issuer';
import { basicCredentials, listenOnLoopback, readBody, sendJson } from '../support/http';

const API_AUDIENCE = 'https://api.test';
const CLIENT_ID = 'doctor-client';
const CLIENT_SECRET = 'doctor-client-secret-0123456789-abcdef';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

type Json = Record<string, unknown>;

interface TokenRequest {
  params: URLSearchParams;
  credentials?: { id: string; secret: string };
}

interface Provider {
  issuer: string;
  /** Merged onto the default metadata; a member set to `undefined` removes it. */
  metadata: Json;
  /** What the token endpoint answers; by default a JWT access token for the right client. */
  token: (
    request: TokenRequest,
  ) => { status: number; body: Json } | Promise<{ status: number; body: Json }>;
  tokenRequests: TokenRequest[];
  keys: { rs: KeyPair };
  mint(claims?: Json, header?: Json): Promise<string>;
  close(): Promise<void>;
}

function merge(defaults: Json, overrides: Json): Json {
  return Object.fromEntries(
    Object.entries({ ...defaults, ...overrides }).filter(([, v]) => v !== undefined),
  );
}

async function startProvider(): Promise<Provider> {
  const rs = await newKeyPair('RS256', 'rs-1');
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) =>
      sendJson(res, 500, { error: 'server_error', detail: String(error) }),
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', provider.issuer).pathname;
    // Under the path issuer, and at the origin (for an issuer without a path).
    if (
      req.method === 'GET' &&
      (path === '/oidc/.well-known/openid-configuration' ||
        path === '/.well-known/openid-configuration')
    ) {
      const { issuer } = provider;
      return sendJson(
        res,
        200,
        merge(
          {
            issuer,
            authorization_endpoint: `${issuer}/auth`,
            token_endpoint: `${issuer}/token`,
            jwks_uri: `${issuer}/jwks`,
            end_session_endpoint: `${issuer}/logout`,
            revocation_endpoint: `${issuer}/revoke`,
            introspection_endpoint: `${issuer}/introspect`,
            response_types_supported: ['code'],
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: ['RS256'],
            code_challenge_methods_supported: ['S256'],
            authorization_response_iss_parameter_supported: true,
            token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          },
          provider.metadata,
        ),
      );
    }
    if (req.method === 'GET' && path === '/oidc/jwks')
      return sendJson(res, 200, { keys: [rs.jwk] });
    if (req.method === 'POST' && path === '/oidc/token') {
      const params = new URLSearchParams(await readBody(req));
      const request: TokenRequest = {
        params,
        credentials: basicCredentials(req.headers.authorization),
      };
      provider.tokenRequests.push(request);
      const { status, body } = await provider.token(request);
      return sendJson(res, status, body);
    }
    return sendJson(res, 404, { error: 'not_found' });
  }

  const base = await listenOnLoopback(server);
  const provider: Provider = {
    issuer: `${base}/oidc`,
    metadata: {},
    tokenRequests: [],
    keys: { rs },
    token: async ({ params, credentials }) => {
      if (credentials?.id !== CLIENT_ID || credentials.secret !== CLIENT_SECRET)
        return { status: 401, body: { error: 'invalid_client' } };
      if (params.get('grant_type') !== 'client_credentials')
        return { status: 400, body: { error: 'unsupported_grant_type' } };
      const accessToken = await provider.mint({
        sub: CLIENT_ID,
        aud: params.get('resource') ?? 'urn:default',
        scope: params.get('scope') ?? '',
      });
      return {
        status: 200,
        body: { access_token: accessToken, token_type: 'Bearer', expires_in: 300 },
      };
    },
    mint: (claims = {}, header = {}) => {
      const now = nowS();
      const payload = merge(
        {
          iss: provider.issuer,
          sub: 'alice',
          aud: API_AUDIENCE,
          client_id: CLIENT_ID,
          scope: 'notes:read notes:write',
          iat: now,
          exp: now + 300,
          jti: crypto.randomUUID(),
        },
        claims,
      );
      return signSegments(
        b64json(merge({ alg: 'RS256', typ: 'at+jwt', kid: rs.kid }, header)),
        b64json(payload),
        rs.privateKey,
      );
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return provider;
}

let provider: Provider;
const defaultToken = () => provider.token;
let resetToken: Provider['token'];

beforeAll(async () => {
  provider = await startProvider();
  resetToken = defaultToken();
});
afterAll(() => provider.close());
afterEach(() => {
  provider.metadata = {};
  provider.token = resetToken;
  provider.tokenRequests = [];
});

function env(
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    API_AUDIENCE,
    // No SESSION_SECRET: none of the doctor's business.
    ...overrides,
  };
}

function find(findings: Finding[], check: string): Finding {
  const found = findings.filter((f) => f.check === check);
  expect(
    found,
    `one "${check}" finding in:\n${findings.map((f) => `${f.status} ${f.check}: ${f.detail}`).join('\n')}`,
  ).toHaveLength(1);
  return found[0]!;
}

function expectNoFailure(findings: Finding[]): void {
  const bad = findings.filter((f) => f.status === 'fail' || f.status === 'warn');
  expect(bad, bad.map((f) => `${f.status} ${f.check}: ${f.detail}`).join('\n')).toEqual([]);
}

function expectNoLeak(findings: Finding[], ...secrets: string[]): void {
  const text = JSON.stringify(findings);
  for (const secret of secrets)
    expect(text.includes(secret), 'a finding shows a secret or a whole token').toBe(false);
}

describe('a good provider', () => {
  it('passes every check, with a good pasted token accepted by /api', async () => {
    const token = await provider.mint();
    const findings = await runDoctor(env(), { token });

    expectNoFailure(findings);
    expect(find(findings, 'configuration').status).toBe('ok');
    expect(find(findings, 'provider profile').detail).toContain('generic');
    expect(find(findings, 'redirect URIs').detail).toContain('http://localhost:3000/auth/callback');
    expect(find(findings, 'discovery').detail).toMatch(/answered in \d+ ms/);
    expect(find(findings, 'issuer').detail).toContain(provider.issuer);
    expect(find(findings, 'JWKS').detail).toContain('kid rs-1 RSA RS256');
    expect(find(findings, 'ID token algorithm').status).toBe('ok');
    expect(find(findings, 'API algorithms').detail).toContain('RS256');
    expect(find(findings, 'PKCE').status).toBe('ok');
    expect(find(findings, 'RFC 9207 iss').status).toBe('ok');
    for (const check of [
      'authorization_endpoint',
      'token_endpoint',
      'jwks_uri',
      'end_session_endpoint',
      'revocation_endpoint',
      'token endpoint auth method',
    ]) {
      expect(find(findings, check).status, check).toBe('ok');
    }
    expect(find(findings, 'client credentials').status).toBe('ok');
    expect(find(findings, 'access token').detail).toContain('the pasted token');
    expect(find(findings, 'access token aud').status).toBe('ok');
    expect(find(findings, 'access token scope').detail).toContain('notes:read notes:write');
    expect(find(findings, 'access token sub').detail).toContain('a user token');
    const verified = find(findings, 'verified as /api does');
    expect(verified.status).toBe('ok');
    expect(verified.detail).toContain('accepted by /api: sub alice');
    expectNoLeak(findings, CLIENT_SECRET, token, token.split('.')[2]!);
  });

  it('checks the client credentials at the token endpoint, then the token it got (200)', async () => {
    const findings = await runDoctor(env());

    expectNoFailure(findings);
    const credentials = find(findings, 'client credentials');
    expect(credentials.status).toBe('ok');
    expect(credentials.detail).toContain('client_secret_basic');
    // The grant as the app would ask for the API: RFC 8707 resource, the API scopes only.
    expect(provider.tokenRequests).toHaveLength(1);
    const [request] = provider.tokenRequests;
    expect(request!.credentials).toEqual({ id: CLIENT_ID, secret: CLIENT_SECRET });
    expect(request!.params.get('grant_type')).toBe('client_credentials');
    expect(request!.params.get('resource')).toBe(API_AUDIENCE);
    expect(request!.params.get('scope')).toBe('notes:read notes:write');

    expect(find(findings, 'access token').detail).toContain('the client-credentials token');
    expect(find(findings, 'access token sub').detail).toContain('machine');
    const verified = find(findings, 'verified as /api does');
    expect(verified.status).toBe('ok');
    expect(verified.detail).toContain('a machine token');
    expectNoLeak(findings, CLIENT_SECRET);
  });
});

describe('provider problems', () => {
  it('fails on an issuer that differs by a trailing slash, naming both values', async () => {
    const findings = await runDoctor(env({ OIDC_ISSUER: `${provider.issuer}/` }));
    const issuer = find(findings, 'issuer');
    expect(issuer.status).toBe('fail');
    expect(issuer.detail).toContain(`"${provider.issuer}"`);
    expect(issuer.detail).toContain(`"${provider.issuer}/"`);
    expect(issuer.detail).toContain('trailing slash');
    expect(issuer.fix).toBe(
      `Set OIDC_ISSUER=${provider.issuer} (exactly, character for character), if that is the provider you meant.`,
    );
    // The other checks still read the document.
    expect(find(findings, 'PKCE').status).toBe('ok');
  });

  it('warns when the issuer differs only in a form the app normalizes (origin with or without "/")', async () => {
    const origin = new URL(provider.issuer).origin;
    provider.metadata = { issuer: `${origin}/` };
    const issuer = find(await runDoctor(env({ OIDC_ISSUER: origin })), 'issuer');
    expect(issuer.status).toBe('warn');
    expect(issuer.detail).toContain(`"${origin}/"`);
    expect(issuer.fix).toBe(`Set OIDC_ISSUER=${origin}/ exactly.`);
  });

  it('fails when the provider lists challenge methods without S256, warns when it lists none', async () => {
    provider.metadata = { code_challenge_methods_supported: ['plain'] };
    const without = find(await runDoctor(env()), 'PKCE');
    expect(without.status).toBe('fail');
    expect(without.detail).toContain('plain');
    expect(without.fix).toContain('S256');

    provider.metadata = { code_challenge_methods_supported: undefined };
    expect(find(await runDoctor(env()), 'PKCE').status).toBe('warn');
  });

  it('reports missing endpoints, RFC 9207 and an unsupported client authentication method', async () => {
    provider.metadata = {
      end_session_endpoint: undefined,
      authorization_response_iss_parameter_supported: undefined,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      id_token_signing_alg_values_supported: ['ES256'],
    };
    const findings = await runDoctor(env());
    expect(find(findings, 'end_session_endpoint').status).toBe('warn');
    expect(find(findings, 'RFC 9207 iss').status).toBe('warn');
    const method = find(findings, 'token endpoint auth method');
    expect(method.status).toBe('fail');
    expect(method.fix).toContain('OIDC_CLIENT_AUTH_METHOD=private_key_jwt');
    const alg = find(findings, 'ID token algorithm');
    expect(alg.status).toBe('fail');
    expect(alg.fix).toContain('OIDC_ID_TOKEN_SIGNING_ALG=ES256');
  });

  it('fails when API_ALGORITHMS fits none of the keys', async () => {
    const api = find(await runDoctor(env({ API_ALGORITHMS: 'ES256' })), 'API algorithms');
    expect(api.status).toBe('fail');
    expect(api.fix).toContain('API_ALGORITHMS=RS256');
  });

  it('reports a configuration error with the variable at fault, and stops there', async () => {
    const findings = await runDoctor(env({ OIDC_CLIENT_SECRET: undefined }));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.status).toBe('fail');
    expect(findings[0]!.detail).toContain('OIDC_CLIENT_SECRET');
  });
});

describe('client credentials', () => {
  it('fails when the provider refuses them (invalid_client), naming the variables', async () => {
    const wrong = 'a-wrong-secret-that-must-not-be-printed';
    const findings = await runDoctor(env({ OIDC_CLIENT_SECRET: wrong }));
    const credentials = find(findings, 'client credentials');
    expect(credentials.status).toBe('fail');
    expect(credentials.detail).toContain('the provider refused the client credentials');
    expect(credentials.detail).toContain('HTTP 401 invalid_client');
    expect(credentials.fix).toContain('OIDC_CLIENT_SECRET');
    expect(credentials.fix).toContain('OIDC_CLIENT_AUTH_METHOD');
    expect(credentials.fix).toContain('client_secret_post'); // '-' travels form-encoded in Basic
    expect(find(findings, 'access token').status).toBe('info'); // nothing to check
    expectNoLeak(findings, wrong);
  });

  it('signs a private_key_jwt assertion with the configured PKCS #8 key (RFC 7523 §2.2)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    provider.token = async ({ params }) => {
      if (
        params.get('client_assertion_type') !==
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
      )
        return { status: 401, body: { error: 'invalid_client' } };
      const { payload } = await jwtVerify(params.get('client_assertion') ?? '', publicKey, {
        issuer: CLIENT_ID,
        subject: CLIENT_ID,
      });
      expect(payload.aud).toBeDefined();
      return { status: 400, body: { error: 'unauthorized_client' } };
    };
    const findings = await runDoctor(
      env({
        OIDC_CLIENT_SECRET: undefined,
        OIDC_CLIENT_AUTH_METHOD: 'private_key_jwt',
        OIDC_CLIENT_PRIVATE_KEY: await exportPKCS8(privateKey),
        OIDC_CLIENT_KEY_ALG: 'ES256',
      }),
    );
    const credentials = find(findings, 'client credentials');
    expect(credentials.status).toBe('info');
    expect(credentials.detail).toContain('unauthorized_client');
    expect(provider.tokenRequests[0]!.credentials).toBeUndefined();
    expect(find(findings, 'configuration').detail).toContain(
      'private key in OIDC_CLIENT_PRIVATE_KEY (ES256)',
    );
  });

  it('is info when the client may not use the grant (unauthorized_client), and echoes no control characters', async () => {
    provider.token = () => ({
      status: 400,
      body: {
        error: 'unauthorized_client',
        error_description: `no\u001b[31m grant\n${'x'.repeat(500)}`,
      },
    });
    const credentials = find(await runDoctor(env()), 'client credentials');
    expect(credentials.status).toBe('info');
    expect(credentials.detail).toContain('unauthorized_client');
    expect(credentials.detail).not.toMatch(/[\u0000-\u001f]/);
    expect(credentials.detail).not.toContain('x'.repeat(201));
  });

  it('warns on an unexpected answer', async () => {
    provider.token = () => ({ status: 500, body: { error: 'server_error' } });
    const credentials = find(await runDoctor(env()), 'client credentials');
    expect(credentials.status).toBe('warn');
    expect(credentials.detail).toContain('HTTP 500 server_error');
  });
});

describe('a pasted access token', () => {
  it("fails on another audience: names the token's aud and API_AUDIENCE, and /api says wrong_audience", async () => {
    const token = await provider.mint({ aud: 'https://other.example/api' });
    const findings = await runDoctor(env(), { token });

    const aud = find(findings, 'access token aud');
    expect(aud.status).toBe('fail');
    expect(aud.detail).toContain('https://other.example/api');
    expect(aud.detail).toContain(API_AUDIENCE);
    expect(aud.fix).toContain('Set API_AUDIENCE=https://other.example/api');
    expect(aud.fix).toContain(`resource=${API_AUDIENCE}`);
    expect(aud.fix).toContain('docs/providers/README.md');
    const verified = find(findings, 'verified as /api does');
    expect(verified.status).toBe('fail');
    expect(verified.detail).toContain('wrong_audience');
    expectNoLeak(findings, token);
  });

  it('fails on an ID token (nonce, aud = client id): id_token_presented', async () => {
    const token = await provider.mint(
      { aud: CLIENT_ID, nonce: 'n-0S6_WzA2Mj', client_id: undefined, scope: undefined },
      { typ: undefined },
    );
    const findings = await runDoctor(env(), { token });

    const idClaims = find(findings, 'ID-token claims');
    expect(idClaims.status).toBe('fail');
    expect(idClaims.detail).toContain('nonce');
    expect(find(findings, 'access token typ').status).toBe('fail');
    expect(find(findings, 'access token aud').detail).toContain('probably an ID token');
    const verified = find(findings, 'verified as /api does');
    expect(verified.status).toBe('fail');
    expect(verified.detail).toContain('id_token_presented');
  });

  it('accepts a Keycloak access token (header typ JWT, payload typ Bearer) with OIDC_PROVIDER=keycloak', async () => {
    const token = await provider.mint(
      {
        typ: 'Bearer',
        azp: CLIENT_ID,
        client_id: undefined,
        realm_access: { roles: ['notes-writer'] },
      },
      { typ: 'JWT' },
    );
    const findings = await runDoctor(env({ OIDC_PROVIDER: 'keycloak' }), { token });

    expectNoFailure(findings);
    expect(find(findings, 'access token typ').detail).toContain('keycloak');
    expect(find(findings, 'access token marker').detail).toContain('typ=Bearer');
    expect(find(findings, 'access token client id').detail).toBe(`azp: ${CLIENT_ID}`);
    expect(find(findings, 'access token roles').detail).toContain('holds notes-writer');
    expect(find(findings, 'verified as /api does').detail).toContain('accepted by /api');
    // The same token under the strict default profile: wrong_typ, with the way out.
    const strict = await runDoctor(env(), { token });
    expect(find(strict, 'access token typ').fix).toContain('OIDC_PROVIDER');
    expect(find(strict, 'verified as /api does').detail).toContain('wrong_typ');
  });

  it('says an opaque token needs introspection credentials', async () => {
    const finding = find(
      await runDoctor(env(), { token: 'abcdefghijklmnopqrstuvwxyz0123456789' }),
      'access token',
    );
    expect(finding.status).toBe('info');
    expect(finding.detail).toContain('API_INTROSPECTION_CLIENT_ID/SECRET');
    expect(finding.detail).not.toContain('abcdefghijklmnop');
  });

  it('skips the token checks where /api cannot be used (Google)', async () => {
    const token = await provider.mint();
    const findings = await runDoctor(env({ OIDC_PROVIDER: 'google' }), { token });
    expect(find(findings, 'access token').detail).toContain('Google');
    expect(findings.some((f) => f.check === 'verified as /api does')).toBe(false);
  });
});

describe('npm run doctor (scripts/doctor.ts under plain Node type stripping)', () => {
  function cli(
    args: string[],
    vars: Record<string, string | undefined>,
    stdin?: string,
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--experimental-strip-types',
          '--disable-warning=ExperimentalWarning',
          'scripts/doctor.ts',
          ...args,
        ],
        {
          cwd: ROOT,
          env: { PATH: process.env.PATH, NODE_ENV: 'test', ...vars },
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin ?? '');
    });
  }

  it('exits 0 for a good provider, with one marked line per finding and a summary', async () => {
    const { code, stdout, stderr } = await cli([], env());
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(
      `✔ issuer: the metadata's issuer is exactly OIDC_ISSUER: ${provider.issuer}`,
    );
    expect(stdout).toContain('✔ client credentials:');
    expect(stdout).toMatch(/\n✔ \d+ ok, \d+ warnings?, 0 failed, \d+ info\n/);
    expect(stdout).not.toContain('\u001b['); // no colour without a TTY
    expect(stdout).not.toContain(CLIENT_SECRET);
  });

  it('exits 1 when a check fails, with the fix on an indented line', async () => {
    provider.metadata = { code_challenge_methods_supported: ['plain'] };
    const { code, stdout } = await cli([], env());
    expect(code).toBe(1);
    expect(stdout).toMatch(/✖ PKCE: .*plain.*\n {4}fix: Enable PKCE with the S256 method/);
    expect(stdout).toMatch(/✖ \d+ ok, \d+ warnings?, 1 failed/);
  });

  it('reads --token - from stdin and fails a token for another audience', async () => {
    const token = await provider.mint({ aud: 'https://other.example/api' });
    const { code, stdout } = await cli(['--token', '-'], env(), `${token}\n`);
    expect(code).toBe(1);
    expect(stdout).toContain("✖ access token aud: the token's aud is https://other.example/api");
    expect(stdout).toContain('the pasted token');
    expect(stdout).not.toContain(token);
    expect(stdout).not.toContain(token.split('.')[2]!);
  });

  it('exits 2 on a bad argument', async () => {
    const { code, stderr } = await cli(['--tokn'], env());
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: npm run doctor');
  });
});
