/**
 * A hostile OpenID provider for the app-level e2e suites (e2e/hostile/*.spec.ts), on
 * http://localhost:4100 (loopback only). Run it standalone:
 *
 *   node --experimental-strip-types --disable-warning=ExperimentalWarning e2e/hostile/server.ts
 *
 * It is a real provider for one confidential client (scenarios.ts: HOSTILE_CLIENT_ID):
 * discovery, an authorization endpoint that approves at once (no login page), a token endpoint
 * (client_secret_basic, one-time codes bound to redirect_uri, PKCE S256, the refresh_token grant
 * with rotation and reuse detection), and a JWKS. Access tokens are RFC 9068 JWTs for the
 * requested `resource`, so the app's own /api accepts them.
 *
 * It misbehaves PER LOGIN, as the browser asks: the test sets the cookie `scenario=<name>` for
 * this origin before it starts the login, and the authorization endpoint either answers the
 * authorization request that way (authorization-response scenarios) or records the scenario
 * against the code it issues (token-response and ID-token scenarios). Without the cookie a
 * login is `valid`; an unknown scenario is a 400, so a typo never passes as `valid`.
 *
 * Refresh faults are per grant (one login and all its rotated refresh tokens), so parallel tests
 * do not see each other's faults. Control endpoints, test-only, refresh token in the form body:
 *
 *   POST /control/refresh-outage?on=1|0[&mode=unavailable|hang]  refresh grants answer 503 (or hang)
 *   POST /control/revoke                                          refresh grants answer invalid_grant
 *   POST /control/grant                                           what the provider saw of the grant
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type JWK, type JWTPayload } from 'jose';
import {
  AUTHORIZATION_RESPONSE_SCENARIOS,
  HOSTILE_API_AUDIENCE,
  HOSTILE_CLIENT_ID,
  HOSTILE_CLIENT_SECRET,
  HOSTILE_ISSUER,
  HOSTILE_PORT,
  HOSTILE_REDIRECT_URIS,
  HOSTILE_USER,
  HTML_ERROR_DESCRIPTION,
  isScenario,
  SCENARIO_COOKIE,
  ENTRA_SIZE,
  MID_SIZE,
  type AuthorizationResponseScenario,
  type OutageMode,
  type Scenario,
} from './scenarios.ts';
import { basicCredentials, corruptSignature, sendJson } from '../../test/support/http.ts';

const ISSUER = HOSTILE_ISSUER;
const CODE_TTL_MS = 60_000;
const ACCESS_TOKEN_TTL_S = 300;
const ID_TOKEN_TTL_S = 300;
/** A hanging answer is dropped after this, whether or not the client gave up first. */
const HANG_LIMIT_MS = 60_000;
const MAX_BODY_BYTES = 16 * 1024;
/** The API scopes an access token carries (lib/config.ts API_SCOPES read and write). */
const API_SCOPES = ['notes:read', 'notes:write'];
const SUPPORTED_SCOPES = ['openid', 'profile', 'email', 'offline_access', ...API_SCOPES];

// ---------------------------------------------------------------------------------------------
// Keys: a signing key and a standby key are published; a third key never is.

interface Key {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

/** kids are new on every start, so a client that cached an older run's JWKS refetches it. */
const run = randomBytes(4).toString('hex');

async function newKey(name: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `${name}-${run}`;
  return {
    kid,
    privateKey,
    jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  };
}

const [signingKey, standbyKey, unpublishedKey] = await Promise.all([
  newKey('signing'),
  newKey('standby'),
  newKey('unpublished'),
]);

// ---------------------------------------------------------------------------------------------
// State: codes, grants, refresh tokens.

interface Code {
  scenario: Scenario;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string | undefined;
  scope: string;
  resource: string | undefined;
  issuedAt: number;
  used: boolean;
  /** The grant its exchange created: revoked if the code is presented again. */
  grant?: Grant;
}

interface Grant {
  id: string;
  /** `entra-size` or `oversized-tokens`: every token of the grant is padded that much. */
  size: 'normal' | 'mid-size' | 'entra-size' | 'oversized-tokens';
  sub: string;
  scope: string;
  resource: string | undefined;
  revoked: boolean;
  outage: OutageMode | undefined;
  /** Refresh requests carrying one of this grant's refresh tokens, however answered. */
  refreshAttempts: number;
  /** ...of which answered by the outage. */
  outageAnswers: number;
  /** ...of which answered with new tokens. */
  refreshes: number;
}

const codes = new Map<string, Code>();
/** Every refresh token ever issued (rotated ones stay, marked used: reuse detection). */
const refreshTokens = new Map<string, { grant: Grant; used: boolean }>();
const hanging = new Set<ServerResponse>();

const random = (bytes = 24) => randomBytes(bytes).toString('base64url');
const nowS = () => Math.floor(Date.now() / 1000);

setInterval(() => {
  for (const [code, entry] of codes)
    if (Date.now() - entry.issuedAt > 10 * CODE_TTL_MS) codes.delete(code);
}, CODE_TTL_MS).unref();

// ---------------------------------------------------------------------------------------------
// HTTP helpers.

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(`${text}\n`);
}

function redirect(res: ServerResponse, location: URL): void {
  res.writeHead(302, { location: location.href, 'cache-control': 'no-store' });
  res.end();
}

/** Never answers; the socket is dropped after HANG_LIMIT_MS or when the client gives up. */
function hang(res: ServerResponse): void {
  hanging.add(res);
  const timer = setTimeout(() => res.destroy(), HANG_LIMIT_MS);
  res.on('close', () => {
    clearTimeout(timer);
    hanging.delete(res);
  });
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name)
      return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Tokens.

function withoutUndefined(claims: JWTPayload): JWTPayload {
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}

/**
 * Claims that make a token as large as Microsoft Entra ID's: group object ids (GUIDs), as Entra
 * puts them in `groups`, and its tenant and object ids. About 1.7 KB per token with 25 groups.
 */
function entraPadding(size: Grant['size']): JWTPayload {
  if (size === 'normal') return {};
  const groups = Array.from(
    { length: size === MID_SIZE ? 10 : size === ENTRA_SIZE ? 28 : 150 },
    () => randomUUID(),
  );
  return {
    groups,
    tid: randomUUID(),
    oid: randomUUID(),
    uti: random(16),
    rh: random(40),
    ver: '2.0',
  };
}

/** OIDC Core §2 ID token, wrong in the way `scenario` says (`nonce` undefined on refresh). */
async function idToken(
  scenario: Scenario,
  sub: string,
  nonce: string | undefined,
  size: Grant['size'] = 'normal',
): Promise<string> {
  const now = nowS();
  const claims: JWTPayload = {
    ...entraPadding(size),
    iss: ISSUER,
    sub,
    aud: HOSTILE_CLIENT_ID,
    iat: now,
    exp: now + ID_TOKEN_TTL_S,
    auth_time: now,
    nonce,
    name: HOSTILE_USER.name,
    email: HOSTILE_USER.email,
    email_verified: true,
  };
  let key = signingKey;
  switch (scenario) {
    case 'unpublished-key':
      key = unpublishedKey;
      break;
    case 'alg-none':
      return new UnsecuredJWT(withoutUndefined(claims)).encode();
    case 'wrong-iss':
      claims.iss = `${ISSUER}/`;
      break;
    case 'wrong-aud':
      claims.aud = 'another-client';
      break;
    case 'aud-array-wrong-azp':
      claims.aud = [HOSTILE_CLIENT_ID, 'another-client'];
      claims.azp = 'another-client';
      break;
    case 'expired':
      claims.iat = now - 900;
      claims.auth_time = now - 900;
      claims.exp = now - 600;
      break;
    case 'iat-future':
      claims.iat = now + 3600;
      claims.exp = now + 3600 + ID_TOKEN_TTL_S;
      break;
    case 'wrong-nonce':
      claims.nonce = random(16);
      break;
    case 'no-sub':
      delete claims.sub;
      break;
  }
  const jwt = await new SignJWT(withoutUndefined(claims))
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .sign(key.privateKey);
  return scenario === 'bad-signature' ? corruptSignature(jwt) : jwt;
}

/** RFC 9068 JWT access token for the app's API. */
function accessToken(grant: Grant): Promise<string> {
  const now = nowS();
  return new SignJWT({
    ...entraPadding(grant.size),
    client_id: HOSTILE_CLIENT_ID,
    scope: API_SCOPES.join(' '),
    jti: randomUUID(),
  })
    .setProtectedHeader({ alg: 'RS256', kid: signingKey.kid, typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setSubject(grant.sub)
    .setAudience(grant.resource ?? HOSTILE_API_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ACCESS_TOKEN_TTL_S)
    .sign(signingKey.privateKey);
}

function newRefreshToken(grant: Grant): string {
  // Entra's refresh tokens are opaque and about 1.5 KB.
  const token = `hrt-${random(grant.size === 'normal' || grant.size === MID_SIZE ? 24 : 1100)}`;
  refreshTokens.set(token, { grant, used: false });
  return token;
}

/** A token response for `grant`, wrong in the way `scenario` says. */
async function tokenResponse(
  res: ServerResponse,
  grant: Grant,
  scenario: Scenario,
  nonce: string | undefined,
): Promise<void> {
  switch (scenario) {
    case 'invalid-grant':
      return sendJson(res, 400, {
        error: 'invalid_grant',
        error_description: 'The grant is invalid, expired or revoked.',
      });
    case 'server-error':
      res.writeHead(500, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(
        '<html><body><h1>500 Internal Server Error</h1><pre>at TokenEndpoint (/srv/idp/token.js:42:7)</pre></body></html>',
      );
      return;
    case 'not-json':
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end('{"access_token": "at", "token_type": "Bearer", <html>');
      return;
    case 'hang':
      return hang(res);
  }
  const body: Record<string, unknown> = {
    access_token: await accessToken(grant),
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_TTL_S,
    scope: grant.scope,
    id_token: await idToken(scenario, grant.sub, nonce, grant.size),
  };
  if (grant.scope.split(' ').includes('offline_access'))
    body.refresh_token = newRefreshToken(grant);
  if (scenario === 'no-access-token') delete body.access_token;
  if (scenario === 'token-type-mac') body.token_type = 'mac';
  return sendJson(res, 200, body);
}

// ---------------------------------------------------------------------------------------------
// Endpoints.

function discovery(res: ServerResponse): void {
  sendJson(res, 200, {
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}/authorize`,
    token_endpoint: `${ISSUER}/token`,
    jwks_uri: `${ISSUER}/jwks`,
    authorization_response_iss_parameter_supported: true,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    scopes_supported: SUPPORTED_SCOPES,
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'name',
      'email',
      'email_verified',
    ],
  });
}

/** The authorization endpoint: approves at once, or answers as the scenario cookie says. */
function authorize(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
  const scenario = cookie(req, SCENARIO_COOKIE) ?? 'valid';
  if (!isScenario(scenario)) return sendText(res, 400, `Unknown scenario "${scenario}".`);

  // RFC 6749 §4.1.2.1: an unknown client or redirect URI is never redirected to.
  const clientId = query.get('client_id');
  const redirectUri = query.get('redirect_uri') ?? '';
  if (clientId !== HOSTILE_CLIENT_ID) return sendText(res, 400, 'Unknown client_id.');
  if (!HOSTILE_REDIRECT_URIS.includes(redirectUri))
    return sendText(res, 400, 'redirect_uri is not registered for this client.');

  const state = query.get('state') ?? undefined;
  const back = (params: Record<string, string | undefined>) => {
    const url = new URL(redirectUri);
    for (const [name, value] of Object.entries(params))
      if (value !== undefined) url.searchParams.append(name, value);
    redirect(res, url);
  };
  const fail = (error: string, description: string) =>
    back({ error, error_description: description, state, iss: ISSUER });

  if (query.get('response_type') !== 'code')
    return fail('unsupported_response_type', 'Only response_type=code.');
  const codeChallenge = query.get('code_challenge');
  if (!codeChallenge || query.get('code_challenge_method') !== 'S256')
    return fail('invalid_request', 'PKCE with S256 is required.');
  const requested = (query.get('scope') ?? '').split(' ').filter(Boolean);
  if (!requested.includes('openid')) return fail('invalid_scope', 'openid is required.');
  const scope = requested.filter((s) => SUPPORTED_SCOPES.includes(s)).join(' ');

  if ((AUTHORIZATION_RESPONSE_SCENARIOS as readonly string[]).includes(scenario)) {
    const code = `hcode-${random()}`; // issued but never redeemable: nothing is stored
    switch (scenario as AuthorizationResponseScenario) {
      case 'no-state':
        return back({ code, iss: ISSUER });
      case 'other-state':
        return back({ code, state: random(32), iss: ISSUER });
      case 'wrong-iss-param':
        return back({ code, state, iss: `${ISSUER}/` });
      case 'no-iss-param':
        return back({ code, state });
      case 'access-denied':
        return back({
          error: 'access_denied',
          error_description: 'The user cancelled.',
          state,
          iss: ISSUER,
        });
      case 'access-denied-html':
        return back({
          error: 'access_denied',
          error_description: HTML_ERROR_DESCRIPTION,
          state,
          iss: ISSUER,
        });
    }
  }

  const code = `hcode-${random()}`;
  codes.set(code, {
    scenario,
    clientId,
    redirectUri,
    codeChallenge,
    nonce: query.get('nonce') ?? undefined,
    scope,
    resource: query.get('resource') ?? undefined,
    issuedAt: Date.now(),
    used: false,
  });
  back({ code, state, iss: ISSUER });
}

async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = await readForm(req);
  const credentials = basicCredentials(req.headers.authorization);
  if (credentials?.id !== HOSTILE_CLIENT_ID || credentials.secret !== HOSTILE_CLIENT_SECRET) {
    return sendJson(
      res,
      401,
      { error: 'invalid_client' },
      { 'www-authenticate': 'Basic realm="hostile"' },
    );
  }

  const grantType = form.get('grant_type');
  if (grantType === 'authorization_code') {
    const value = form.get('code') ?? '';
    const code = codes.get(value);
    if (!code)
      return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Unknown code.' });
    if (code.used) {
      // RFC 6749 §4.1.2: a code used twice revokes what it issued.
      if (code.grant) code.grant.revoked = true;
      return sendJson(res, 400, {
        error: 'invalid_grant',
        error_description: 'The code was already used.',
      });
    }
    code.used = true;
    if (Date.now() - code.issuedAt > CODE_TTL_MS)
      return sendJson(res, 400, { error: 'invalid_grant', error_description: 'The code expired.' });
    if (form.get('redirect_uri') !== code.redirectUri)
      return sendJson(res, 400, {
        error: 'invalid_grant',
        error_description: 'redirect_uri differs.',
      });
    const verifier = form.get('code_verifier') ?? '';
    if (
      !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) ||
      createHash('sha256').update(verifier).digest('base64url') !== code.codeChallenge
    ) {
      return sendJson(res, 400, {
        error: 'invalid_grant',
        error_description: 'PKCE verification failed.',
      });
    }
    const grant: Grant = {
      id: randomUUID(),
      size:
        code.scenario === ENTRA_SIZE ||
        code.scenario === MID_SIZE ||
        code.scenario === 'oversized-tokens'
          ? code.scenario
          : 'normal',
      sub: HOSTILE_USER.sub,
      scope: code.scope,
      resource: form.get('resource') ?? code.resource,
      revoked: false,
      outage: undefined,
      refreshAttempts: 0,
      outageAnswers: 0,
      refreshes: 0,
    };
    code.grant = grant;
    return tokenResponse(res, grant, code.scenario, code.nonce);
  }

  if (grantType === 'refresh_token') {
    const entry = refreshTokens.get(form.get('refresh_token') ?? '');
    if (!entry)
      return sendJson(res, 400, {
        error: 'invalid_grant',
        error_description: 'Unknown refresh token.',
      });
    const { grant } = entry;
    grant.refreshAttempts++;
    if (grant.revoked)
      return sendJson(res, 400, {
        error: 'invalid_grant',
        error_description: 'The grant was revoked.',
      });
    if (grant.outage) {
      grant.outageAnswers++;
      if (grant.outage === 'hang') return hang(res);
      return sendJson(
        res,
        503,
        { error: 'temporarily_unavailable', error_description: 'Try again later.' },
        { 'retry-after': '5' },
      );
    }
    if (entry.used) {
      // RFC 9700 §4.14.2: a rotated refresh token presented again revokes the grant.
      grant.revoked = true;
      return sendJson(res, 400, {
        error: 'invalid_grant',
        error_description: 'Refresh token reuse: the grant is revoked.',
      });
    }
    entry.used = true;
    grant.refreshes++;
    const resource = form.get('resource');
    if (resource) grant.resource = resource;
    return tokenResponse(res, grant, 'valid', undefined);
  }
  return sendJson(res, 400, { error: 'unsupported_grant_type' });
}

/** Test-only controls, keyed by a refresh token of the grant (any of its rotations). */
async function control(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  const form = await readForm(req);
  const grant = refreshTokens.get(
    form.get('refresh_token') ?? query.get('refresh_token') ?? '',
  )?.grant;
  if (!grant) return sendJson(res, 404, { error: 'unknown_refresh_token' });
  const status = () => ({
    grant: grant.id,
    revoked: grant.revoked,
    outage: grant.outage ?? null,
    refreshAttempts: grant.refreshAttempts,
    outageAnswers: grant.outageAnswers,
    refreshes: grant.refreshes,
  });
  switch (path) {
    case '/control/refresh-outage': {
      const on = query.get('on') ?? form.get('on');
      const mode = query.get('mode') ?? form.get('mode') ?? 'unavailable';
      if ((on !== '1' && on !== '0') || (mode !== 'unavailable' && mode !== 'hang')) {
        return sendJson(res, 400, {
          error: 'invalid_request',
          error_description: 'on=1|0, mode=unavailable|hang',
        });
      }
      grant.outage = on === '1' ? mode : undefined;
      return sendJson(res, 200, status());
    }
    case '/control/revoke':
      grant.revoked = true;
      return sendJson(res, 200, status());
    case '/control/grant':
      return sendJson(res, 200, status());
  }
  return sendJson(res, 404, { error: 'not_found' });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', ISSUER);
  const method = req.method ?? 'GET';
  const read = method === 'GET' || method === 'HEAD';
  if (read && url.pathname === '/.well-known/openid-configuration') return discovery(res);
  if (read && url.pathname === '/jwks')
    return sendJson(res, 200, { keys: [signingKey.jwk, standbyKey.jwk] });
  if (read && url.pathname === '/authorize') return authorize(req, res, url.searchParams);
  if (method === 'POST' && url.pathname === '/token') return token(req, res);
  if (method === 'POST' && url.pathname.startsWith('/control/'))
    return control(req, res, url.pathname, url.searchParams);
  return sendJson(res, 404, { error: 'not_found' });
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    console.error(`hostile provider: ${req.method} ${req.url?.split('?')[0]}: ${String(error)}`);
    if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
    else res.destroy();
  });
});
// Hanging answers must not be cut short by the server's own time-outs.
server.requestTimeout = 0;

server.listen(HOSTILE_PORT, 'localhost', () => {
  console.log(`hostile OpenID provider on ${ISSUER} (client ${HOSTILE_CLIENT_ID})`);
});

function shutdown(): void {
  for (const res of hanging) res.destroy();
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2_000).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
