/**
 * Shared harness for the resource-server tests (a helper module, not a test file).
 *
 * A REAL authorization server on node:http (127.0.0.1, ephemeral port; issuer
 * `http://localhost:<port>`, plain http being allowed for loopback only) that serves:
 * - `/.well-known/openid-configuration`;
 * - `/jwks`: a mutable key list (tests rotate keys), request counter, and a switch to answer 503
 *   or drop the connection;
 * - `/introspect` (RFC 7662): POST with HTTP Basic auth of the resource server's credentials,
 *   answers from a map token -> response (default `{ active: false }`), request counter, and a
 *   switch to drop the connection.
 *
 * Also: real key pairs (RS256 and ES256 published, an RSA key that is not, to forge), a `mint`
 * helper that signs anything (no library-side checks on the header, so `crit`, `jku`, ... can be
 * forged), segment helpers, a console.log capture, request builders and a loader for the route
 * handlers with a fresh module graph.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { expect, vi } from 'vitest';
import { basicCredentials, listenOnLoopback, readBody, sendJson } from '../support/http.ts';
export { closedPort } from '../support/http.ts';
export { parseChallenge } from '../support/challenge.ts';

// ---------------------------------------------------------------------------------------------
// Constants shared by the test files.

export const API_AUDIENCE = 'https://api.test';
export const RS_CLIENT_ID = 'test-resource-server';
export const RS_CLIENT_SECRET = 'test-resource-server-secret';
/** 40 characters; harmless for the resource server, which never reads it. */
export const SESSION_SECRET = 'test-session-secret-0123456789-abcdefghi';
/** The default of API_CLOCK_TOLERANCE (lib/config.ts). */
export const CLOCK_TOLERANCE_S = 30;
export const API_URL = 'http://localhost:3000/api';

/** The real Date.now, even while freezeClock() holds the mocked one. */
const realNow = Date.now.bind(Date);
/** Real seconds since the epoch: what jose compares exp/iat/nbf with (`new Date()`). */
export const nowS = () => Math.floor(realNow() / 1000);

// ---------------------------------------------------------------------------------------------
// Keys.

export interface KeyPair {
  kid: string;
  alg: 'RS256' | 'ES256' | 'EdDSA';
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The public JWK as the issuer publishes it (kid, alg, use). */
  jwk: JWK;
}

export async function newKeyPair(alg: KeyPair['alg'], kid: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicKey, jwk };
}

// ---------------------------------------------------------------------------------------------
// Compact JWS by hand: these helpers sign whatever they are given.

export const b64url = (bytes: Uint8Array | string): string =>
  Buffer.from(bytes).toString('base64url');
export const b64json = (value: unknown): string => b64url(JSON.stringify(value));

/** The Web Crypto parameters for a signing key (HMAC keys included, for alg confusion). */
function signParams(key: CryptoKey): AlgorithmIdentifier | EcdsaParams | RsaPssParams {
  switch (key.algorithm.name) {
    case 'ECDSA':
      return { name: 'ECDSA', hash: 'SHA-256' };
    case 'RSA-PSS':
      return { name: 'RSA-PSS', saltLength: 32 };
    default:
      return { name: key.algorithm.name }; // RSASSA-PKCS1-v1_5, HMAC, Ed25519
  }
}

/** Signs `<header>.<payload>` (already base64url) with `key`; returns the compact JWS. */
export async function signSegments(
  header: string,
  payload: string,
  key: CryptoKey,
): Promise<string> {
  const signature = await crypto.subtle.sign(
    signParams(key),
    key,
    new TextEncoder().encode(`${header}.${payload}`),
  );
  return `${header}.${payload}.${b64url(new Uint8Array(signature))}`;
}

/** An HMAC-SHA256 key made of arbitrary bytes (e.g. the issuer's public key, for alg confusion). */
export function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
}

/** Overrides merged onto defaults; a member set to `undefined` removes it. */
export type Overrides = Record<string, unknown>;

function merge(defaults: Overrides, overrides: Overrides): Overrides {
  return Object.fromEntries(
    Object.entries({ ...defaults, ...overrides }).filter(([, v]) => v !== undefined),
  );
}

export interface Segments {
  header: string;
  payload: string;
  signature: string;
}

export function segments(token: string): Segments {
  const [header = '', payload = '', signature = ''] = token.split('.');
  return { header, payload, signature };
}

export function decodeSegment(segment: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Flips every bit of one signature byte (a real change, not base64url padding bits). */
export function flipSignature(token: string, index = 10): string {
  const { header, payload, signature } = segments(token);
  const bytes = Buffer.from(signature, 'base64url');
  bytes[index] = (bytes[index] ?? 0) ^ 0xff;
  return `${header}.${payload}.${bytes.toString('base64url')}`;
}

/** An unsigned JWS (empty signature) with the given header and claims. */
export function unsigned(header: Overrides, claims: Overrides): string {
  return `${b64json(header)}.${b64json(claims)}.`;
}

// ---------------------------------------------------------------------------------------------
// The authorization server.

export type JwksMode = 'up' | 'unavailable' | 'drop';

export interface RecordedRequest {
  method: string;
  path: string;
}

export interface Issuer {
  /** `http://localhost:<port>`, exactly as the metadata states it. */
  issuer: string;
  jwksUri: URL;
  introspectionEndpoint: string;
  keys: { rs: KeyPair; es: KeyPair; forge: KeyPair };
  /** The keys /jwks publishes; replace or push to rotate. */
  jwks: JWK[];
  /** 'up' serves the keys; 'unavailable' answers 503; 'drop' destroys the socket. */
  jwksMode: JwksMode;
  /** 'drop' destroys the socket of introspection requests. */
  introspectionMode: 'up' | 'drop';
  /** How long /introspect takes to answer, in ms (0 by default). */
  introspectionDelayMs: number;
  /** What /introspect answers per token; `{ active: false }` for any other. */
  introspection: Map<string, Record<string, unknown>>;
  /** The `token` parameters /introspect received, in order. */
  introspectedTokens: string[];
  /** Every request received, in order. */
  requests: RecordedRequest[];
  requestsTo(path: string): number;
  readonly jwksRequests: number;
  readonly introspectionRequests: number;
  /** Default access-token claims (RFC 9068 §2.2) for alice; overrides merged on top. */
  claims(overrides?: Overrides): Overrides;
  /**
   * Signs an access token: header {alg: RS256, typ: at+jwt, kid}, the default claims, the
   * published RS256 key. Overrides set to `undefined` remove a member.
   */
  mint(claims?: Overrides, header?: Overrides, key?: CryptoKey): Promise<string>;
  close(): Promise<void>;
}

export async function startIssuer(): Promise<Issuer> {
  const [rs, es, forge] = await Promise.all([
    newKeyPair('RS256', 'rs-1'),
    newKeyPair('ES256', 'es-1'),
    newKeyPair('RS256', 'attacker-1'),
  ]);

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) =>
      sendJson(res, 500, { error: 'server_error', detail: String(error) }),
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', issuer.issuer).pathname;
    issuer.requests.push({ method: req.method ?? '', path });

    if (req.method === 'GET' && path === '/.well-known/openid-configuration') {
      return sendJson(res, 200, {
        issuer: issuer.issuer,
        jwks_uri: issuer.jwksUri.href,
        introspection_endpoint: issuer.introspectionEndpoint,
        token_endpoint: `${issuer.issuer}/token`,
        authorization_endpoint: `${issuer.issuer}/auth`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (req.method === 'GET' && path === '/jwks') {
      if (issuer.jwksMode === 'drop') return void req.socket.destroy();
      if (issuer.jwksMode === 'unavailable')
        return sendJson(res, 503, { error: 'temporarily_unavailable' }, { 'retry-after': '1' });
      return sendJson(res, 200, { keys: issuer.jwks });
    }
    if (path === '/introspect') {
      if (issuer.introspectionMode === 'drop') return void req.socket.destroy();
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'invalid_request' });
      const body = new URLSearchParams(await readBody(req));
      const credentials = basicCredentials(req.headers.authorization);
      if (credentials?.id !== RS_CLIENT_ID || credentials.secret !== RS_CLIENT_SECRET) {
        return sendJson(
          res,
          401,
          { error: 'invalid_client' },
          { 'www-authenticate': 'Basic realm="introspection"' },
        );
      }
      const token = body.get('token');
      if (!token) return sendJson(res, 400, { error: 'invalid_request' });
      issuer.introspectedTokens.push(token);
      if (issuer.introspectionDelayMs)
        await new Promise((r) => setTimeout(r, issuer.introspectionDelayMs));
      return sendJson(res, 200, issuer.introspection.get(token) ?? { active: false });
    }
    // Anything else (e.g. a jku/x5u an attacker points at) answers the attacker's key set, so a
    // verifier that followed it would accept the forgery: the tests assert it is never asked.
    if (path.startsWith('/attacker/')) return sendJson(res, 200, { keys: [forge.jwk] });
    return sendJson(res, 404, { error: 'not_found' });
  }

  const base = await listenOnLoopback(server);

  const issuer: Issuer = {
    issuer: base,
    jwksUri: new URL(`${base}/jwks`),
    introspectionEndpoint: `${base}/introspect`,
    keys: { rs, es, forge },
    jwks: [rs.jwk, es.jwk],
    jwksMode: 'up',
    introspectionMode: 'up',
    introspectionDelayMs: 0,
    introspection: new Map(),
    introspectedTokens: [],
    requests: [],
    requestsTo: (path) => issuer.requests.filter((r) => r.path === path).length,
    get jwksRequests() {
      return issuer.requestsTo('/jwks');
    },
    get introspectionRequests() {
      return issuer.requestsTo('/introspect');
    },
    claims: (overrides = {}) => {
      const now = nowS();
      return merge(
        {
          iss: base,
          sub: 'alice',
          aud: API_AUDIENCE,
          client_id: 'app',
          scope: 'notes:read notes:write',
          iat: now,
          exp: now + 300,
          jti: crypto.randomUUID(),
        },
        overrides,
      );
    },
    mint: (claims = {}, header = {}, key = rs.privateKey) =>
      signSegments(
        b64json(merge({ alg: 'RS256', typ: 'at+jwt', kid: rs.kid }, header)),
        b64json(issuer.claims(claims)),
        key,
      ),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return issuer;
}

/**
 * Freezes Date.now (only: `new Date()`, which jose uses for exp/iat, and the timers keep real
 * time) at the current instant; `advance` moves it. The caches in lib/resource-server read
 * Date.now, so cooldowns and TTLs are tested without real waits or timing flakiness.
 */
export function freezeClock(): {
  advance(ms: number): void;
  set(ms: number): void;
  restore(): void;
} {
  let now = Date.now();
  const spy = vi.spyOn(Date, 'now').mockImplementation(() => now);
  return {
    advance: (ms) => void (now += ms),
    set: (ms) => void (now = ms),
    restore: () => spy.mockRestore(),
  };
}

export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

// ---------------------------------------------------------------------------------------------
// The route handlers, loaded fresh: the configuration and the resource server are module state.

export type Api = {
  notes: typeof import('@/app/api/notes/route');
  note: typeof import('@/app/api/notes/[id]/route');
  me: typeof import('@/app/api/me/route');
  stats: typeof import('@/app/api/stats/route');
};

/**
 * Stubs the environment for `issuer` (plus `env`, where `undefined` unsets a variable) and
 * imports the route modules in a fresh module graph. Call vi.unstubAllEnvs() when done.
 */
export async function loadApi(
  issuer: string,
  env: Record<string, string | undefined> = {},
): Promise<Api> {
  vi.resetModules();
  const vars: Record<string, string | undefined> = {
    OIDC_ISSUER: issuer,
    API_AUDIENCE,
    API_INTROSPECTION_CLIENT_ID: RS_CLIENT_ID,
    API_INTROSPECTION_CLIENT_SECRET: RS_CLIENT_SECRET,
    SESSION_SECRET,
    API_ALGORITHMS: undefined,
    API_CLOCK_TOLERANCE: undefined,
    API_METRICS: undefined,
    ...env,
  };
  for (const [name, value] of Object.entries(vars)) vi.stubEnv(name, value);
  const [notes, note, me, stats] = await Promise.all([
    import('@/app/api/notes/route'),
    import('@/app/api/notes/[id]/route'),
    import('@/app/api/me/route'),
    import('@/app/api/stats/route'),
  ]);
  return { notes, note, me, stats };
}

// ---------------------------------------------------------------------------------------------
// Requests.

export interface RequestSpec {
  path?: string;
  method?: 'GET' | 'POST';
  /** Appended in order, so a name may repeat. */
  headers?: ReadonlyArray<readonly [string, string]>;
  /** Appended to the URL as is, without the leading '?'. */
  query?: string;
  body?: string;
}

export function apiRequest(spec: RequestSpec = {}): Request {
  const headers = new Headers();
  for (const [name, value] of spec.headers ?? []) headers.append(name, value);
  const url = `${API_URL}${spec.path ?? '/notes'}${spec.query === undefined ? '' : `?${spec.query}`}`;
  return new Request(url, { method: spec.method ?? 'GET', headers, body: spec.body });
}

export const bearer = (token: string): [string, string] => ['Authorization', `Bearer ${token}`];

// ---------------------------------------------------------------------------------------------
// Logs.

export interface LogLine {
  event?: string;
  reason?: string;
  status?: number;
  [field: string]: unknown;
}

export interface LogCapture {
  /** Every console.log line since the last reset, as written. */
  raw(): string[];
  /** The lines parsed as JSON (logEvent writes one JSON object per line). */
  lines(): LogLine[];
  /** The `api_rejected` lines. */
  rejections(): LogLine[];
  reset(): void;
  /** Asserts that no logged line contains any of `secrets`. */
  expectNoLeak(...secrets: string[]): void;
  restore(): void;
}

/** Spies on console.log (silencing it) and records what is logged. */
export function captureLogs(): LogCapture {
  const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const raw = () => spy.mock.calls.map((args) => args.map(String).join(' '));
  const lines = () =>
    raw().map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        return { event: '(not json)', line };
      }
    });
  return {
    raw,
    lines,
    rejections: () => lines().filter((l) => l.event === 'api_rejected'),
    reset: () => spy.mockClear(),
    expectNoLeak: (...secrets) => {
      for (const line of raw())
        for (const secret of secrets)
          if (secret)
            expect(line.includes(secret), `a log line contains a credential: ${line}`).toBe(false);
    },
    restore: () => spy.mockRestore(),
  };
}

// ---------------------------------------------------------------------------------------------
// Responses.

/** The response as text (body) and a flat string of all headers, for echo checks. */
export async function snapshot(response: Response): Promise<{ body: string; headers: string }> {
  const body = await response.clone().text();
  const headers = [...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
  return { body, headers };
}
