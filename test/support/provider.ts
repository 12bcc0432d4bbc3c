/**
 * The fake OpenID provider for the client's unit tests (a helper module, not a test file): one
 * configurable provider that test/client/callback.test.ts and the hostile-provider tests
 * (test/client/hostile-provider/) share.
 *
 * A real node:http server on 127.0.0.1 (ephemeral port; issuer `http://localhost:<port>`, plain
 * http being allowed for loopback only) with discovery, a token endpoint and a JWKS. It records
 * every request (method, path, form body). It behaves like a real provider (client_secret_basic,
 * one-time codes bound to the authorization request's redirect_uri, PKCE S256 and nonce) except
 * where a test tells it to misbehave. The token endpoint answers a code exchange in one of two
 * ways:
 *
 * - Per login (the default). A test starts a real login and picks a named `Behaviour` for it:
 *
 *     const { authorizationUrl, transaction } = await client.startLogin('/');
 *     const login = provider.nextLogin('expired', authorizationUrl);
 *     await client.completeLogin(login.callbackUrl(), transaction);
 *
 *   `nextLogin` plays the authorization endpoint: it reads the authorization request (state,
 *   nonce, code_challenge, redirect_uri), issues a code and remembers the behaviour for it. The
 *   token request that carries that code gets the behaviour. JWKS faults are per login too: they
 *   apply to the JWKS requests that follow that login's token request (the client fetches the
 *   JWKS right after the code exchange). `issueRefreshToken` does the same for the refresh grant.
 *   The authorization response is built by the test (`login.callbackUrl(variant)`); the provider
 *   only supplies its `iss` (RFC 9207).
 *
 * - A fixed reply. A test that builds its own ID tokens sets `provider.tokenReply`: from then on
 *   every authorization_code request is answered with it once the client authentication checks
 *   out and code, code_verifier and redirect_uri are present. Codes are not looked up, so any
 *   code and any transaction will do; such a test signs its tokens with `signingKey()` (published
 *   in the JWKS) or `unpublishedKey()`.
 *
 * Discovery is per provider, since it happens before any login: `provider.discovery` makes it
 * fail or answer late, `provider.discoveryIssuer` makes the document name another issuer, and
 * `refuseConnections()` takes the provider off the network (connection refused).
 *
 * Keys: the JWKS always publishes two RSA RS256 keys (the signing key and a standby key, as
 * providers do ahead of a rotation), so an ID token without `kid` matches two keys. A third RSA
 * key is never published. `rotateKeys()` is an abrupt rotation: the JWKS is replaced by two new
 * keys and the old signing key is retired (the `retired-key` behaviour still signs with it).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type JWK, type JWTPayload } from 'jose';
import {
  basicCredentials,
  corruptSignature,
  listenOnLoopback,
  readBody,
  sendJson,
} from './http.ts';

/** The one client the provider knows (client_secret_basic); test/support/client.ts configures it. */
export const CLIENT_ID = 'test-client';
export const CLIENT_SECRET = 'test-client-secret';
/** The subject of every login. */
export const SUBJECT = 'user-1';
/** What the `access-denied-html` authorization response carries in error_description. */
export const HTML_ERROR_DESCRIPTION = '<script>alert(1)</script><img src=x onerror=alert(2)>';
/** The issuer a `wrong-iss` ID token and authorization response name: ours, with a trailing slash. */
export const wrongIssuer = (issuer: string) => `${issuer}/`;

// ---------------------------------------------------------------------------------------------
// Behaviours.

/** The token response carries an ID token that is wrong in this way. */
export const ID_TOKEN_FAULTS = [
  'bad-signature', // the signature's last byte flipped
  'unpublished-key', // signed with a key the JWKS does not hold, under its own kid
  'alg-none', // an unsecured JWT
  'wrong-iss', // our issuer with a trailing slash
  'wrong-aud', // another client
  'aud-array-wrong-azp', // [us, another client], azp = the other client
  'aud-array-no-azp', // [us, another client], no azp
  'expired', // exp 10 minutes ago
  'iat-future', // iat 1 hour ahead (exp 1 hour 5 minutes ahead)
  'no-nonce',
  'wrong-nonce',
  'no-sub',
  'no-kid', // no kid header, while the JWKS holds two RS256 keys
  'retired-key', // signed with the key retired by the last rotateKeys()
  'other-sub', // a valid ID token for another user
] as const;

/** The token endpoint answers this way. */
export const TOKEN_FAULTS = [
  'no-access-token',
  'token-type-mac',
  'invalid-grant', // 400 {"error":"invalid_grant"}
  'server-error', // 500 with an HTML error page
  'invalid-json', // 200, application/json, a body that is not JSON
  'hang', // never answers (no status line)
  'hang-after-headers', // sends 200 and the headers, then never sends the body
] as const;

/** The JWKS requests that follow this login's token request are answered this way. */
export const JWKS_FAULTS = [
  'jwks-unavailable', // 503
  'jwks-dropped', // the connection is closed without an answer
  'jwks-slow', // answers after `slowMs`
] as const;

export type IdTokenFault = (typeof ID_TOKEN_FAULTS)[number];
export type TokenFault = (typeof TOKEN_FAULTS)[number];
export type JwksFault = (typeof JWKS_FAULTS)[number];
export type Behaviour = 'valid' | IdTokenFault | TokenFault | JwksFault;

/** Authorization responses (the redirect to the client's callback), built by `login.callbackUrl`. */
export type AuthorizationResponse =
  | 'success' // code, state, iss
  | 'no-state'
  | 'other-state' // the state of another transaction (`otherState`, or a random one)
  | 'wrong-iss' // our issuer with a trailing slash
  | 'no-iss' // while discovery advertises authorization_response_iss_parameter_supported
  | 'access-denied' // error=access_denied, state, iss
  | 'access-denied-html'; // the same with HTML_ERROR_DESCRIPTION

export type DiscoveryMode = 'up' | 'unavailable' /* 503 */ | 'slow'; /* answers after slowMs */

// ---------------------------------------------------------------------------------------------
// Keys, shared by every provider in a test file (RSA key generation is slow).

/** A key a test can sign its own ID tokens with, under `kid`. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
}

interface Key extends SigningKey {
  jwk: JWK;
}

const keyPool: Array<Promise<Key>> = [];

function poolKey(index: number): Promise<Key> {
  keyPool[index] ??= generateKeyPair('RS256', { extractable: true }).then(
    async ({ privateKey, publicKey }) => {
      const kid = `rsa-${index}`;
      return {
        kid,
        privateKey,
        jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
      };
    },
  );
  return keyPool[index];
}

// ---------------------------------------------------------------------------------------------
// The provider.

export interface RecordedRequest {
  method: string;
  path: string;
  body: URLSearchParams;
}

/** What POST /token answers to every code exchange while `provider.tokenReply` is set. */
export interface TokenReply {
  status: number;
  body: Record<string, unknown>;
}

export interface Login {
  readonly behaviour: Behaviour;
  readonly code: string;
  /** The state of the authorization request. */
  readonly state: string;
  /** The redirect to the client's callback; `otherState` for `other-state`. */
  callbackUrl(response?: AuthorizationResponse, options?: { otherState?: string }): URL;
  /** How many token requests carried this login's code. */
  exchanges(): number;
}

export interface FakeProvider {
  readonly issuer: string;
  /** Every request the provider received, in order. */
  readonly requests: RecordedRequest[];
  /** How discovery answers; `up` by default. */
  discovery: DiscoveryMode;
  /** The `issuer` the discovery document claims; the real issuer unless a test says otherwise. */
  discoveryIssuer: string;
  /**
   * When set, every authorization_code request is answered with this, once the client
   * authentication checks out and code, code_verifier and redirect_uri are present (codes from
   * nextLogin are then not looked up). Unset by default: each code gets its login's behaviour.
   * The refresh grant is unaffected.
   */
  tokenReply: TokenReply | undefined;
  /** The key that signs the ID tokens now; the JWKS publishes it. */
  signingKey(): SigningKey;
  /** A key the JWKS never publishes. */
  unpublishedKey(): SigningKey;
  /** Plays the authorization endpoint for `authorizationUrl` (from startLogin). */
  nextLogin(behaviour: Behaviour, authorizationUrl: URL): Login;
  /** A refresh token whose refresh request gets `behaviour`; refreshed ID tokens are for `sub`. */
  issueRefreshToken(behaviour: Behaviour, sub?: string): string;
  /** Abrupt rotation: two new keys replace the JWKS; the old signing key is retired. */
  rotateKeys(): Promise<void>;
  /** Stops listening: from now on, connections to the issuer are refused. */
  refuseConnections(): Promise<void>;
  /** The requests to the token endpoint, in order. */
  tokenRequests(): RecordedRequest[];
  jwksRequests(): number;
  discoveryRequests(): number;
  close(): Promise<void>;
}

export interface ProviderOptions {
  /** How long `slow` answers take. Make it longer than the client's limit. */
  slowMs?: number;
}

interface AuthorizationRequest {
  behaviour: Behaviour;
  state: string;
  nonce: string;
  codeChallenge: string;
  redirectUri: string;
  used: boolean;
}

const random = () => randomBytes(16).toString('base64url');
const nowS = () => Math.floor(Date.now() / 1000);

export async function startFakeProvider(options: ProviderOptions = {}): Promise<FakeProvider> {
  const slowMs = options.slowMs ?? 10_000;
  const keys = await Promise.all([poolKey(0), poolKey(1), poolKey(2)]);
  let [signingKey, standbyKey] = keys;
  const unpublishedKey = keys[2];
  let retiredKey: Key | undefined;
  let nextPoolIndex = 3;

  const logins = new Map<string, AuthorizationRequest>();
  const refreshTokens = new Map<string, { behaviour: Behaviour; sub: string }>();
  let jwksFault: JwksFault | undefined;
  const timers = new Set<NodeJS.Timeout>();
  let listening = true;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', detail: String(error) });
    });
  });

  function later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', provider.issuer).pathname;
    const body = new URLSearchParams(await readBody(req));
    provider.requests.push({ method: req.method ?? '', path, body });

    if (req.method === 'GET' && path === '/.well-known/openid-configuration') {
      const document = {
        issuer: provider.discoveryIssuer,
        authorization_endpoint: `${provider.issuer}/auth`,
        token_endpoint: `${provider.issuer}/token`,
        jwks_uri: `${provider.issuer}/jwks`,
        authorization_response_iss_parameter_supported: true,
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
      };
      if (provider.discovery === 'unavailable')
        return sendJson(res, 503, { error: 'temporarily_unavailable' });
      if (provider.discovery === 'slow') return later(slowMs, () => sendJson(res, 200, document));
      return sendJson(res, 200, document);
    }

    if (req.method === 'GET' && path === '/jwks') {
      const jwks = { keys: [signingKey.jwk, standbyKey.jwk] };
      switch (jwksFault) {
        case 'jwks-unavailable':
          return sendJson(res, 503, { error: 'temporarily_unavailable' });
        case 'jwks-dropped':
          req.socket.destroy();
          return;
        case 'jwks-slow':
          return later(slowMs, () => sendJson(res, 200, jwks));
        default:
          return sendJson(res, 200, jwks);
      }
    }

    if (req.method === 'POST' && path === '/token') {
      const credentials = basicCredentials(req.headers.authorization);
      if (credentials?.id !== CLIENT_ID || credentials.secret !== CLIENT_SECRET)
        return sendJson(res, 401, { error: 'invalid_client' });

      if (body.get('grant_type') === 'authorization_code') {
        if (provider.tokenReply) {
          for (const name of ['code', 'code_verifier', 'redirect_uri']) {
            if (!body.get(name))
              return sendJson(res, 400, {
                error: 'invalid_request',
                error_description: `${name} missing`,
              });
          }
          return sendJson(res, provider.tokenReply.status, provider.tokenReply.body);
        }
        const login = logins.get(body.get('code') ?? '');
        if (!login || login.used)
          return sendJson(res, 400, {
            error: 'invalid_grant',
            error_description: 'unknown or used code',
          });
        login.used = true;
        if (body.get('redirect_uri') !== login.redirectUri)
          return sendJson(res, 400, { error: 'invalid_grant', error_description: 'redirect_uri' });
        const verifier = body.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== login.codeChallenge) {
          return sendJson(res, 400, {
            error: 'invalid_grant',
            error_description: 'PKCE verification failed',
          });
        }
        return answerToken(res, login.behaviour, SUBJECT, login.nonce);
      }

      if (body.get('grant_type') === 'refresh_token') {
        const grant = refreshTokens.get(body.get('refresh_token') ?? '');
        if (!grant)
          return sendJson(res, 400, {
            error: 'invalid_grant',
            error_description: 'unknown refresh token',
          });
        return answerToken(res, grant.behaviour, grant.sub, undefined);
      }
      return sendJson(res, 400, { error: 'unsupported_grant_type' });
    }
    return sendJson(res, 404, { error: 'not_found' });
  }

  /** The token endpoint's answer for `behaviour`; `nonce` is undefined for a refresh. */
  async function answerToken(
    res: ServerResponse,
    behaviour: Behaviour,
    sub: string,
    nonce: string | undefined,
  ): Promise<void> {
    jwksFault = (JWKS_FAULTS as readonly string[]).includes(behaviour)
      ? (behaviour as JwksFault)
      : undefined;
    switch (behaviour) {
      case 'invalid-grant':
        return sendJson(res, 400, {
          error: 'invalid_grant',
          error_description: 'The grant is invalid, expired or revoked.',
        });
      case 'server-error':
        res.writeHead(500, { 'content-type': 'text/html' });
        res.end('<html><body><h1>500 Internal Server Error</h1></body></html>');
        return;
      case 'invalid-json':
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end('{"access_token": "at", "token_type": "Bearer", <html>');
        return;
      case 'hang':
        return; // the request stays open until the client gives up or the provider closes
      case 'hang-after-headers':
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.flushHeaders();
        res.write('{"access_token": ');
        return;
    }

    const refreshToken = `rt-${random()}`;
    refreshTokens.set(refreshToken, { behaviour: 'valid', sub });
    const reply: Record<string, unknown> = {
      access_token: `at-${random()}`,
      token_type: 'Bearer',
      expires_in: 300,
      refresh_token: refreshToken,
      scope: 'openid',
      id_token: await idToken(behaviour, sub, nonce),
    };
    if (behaviour === 'no-access-token') delete reply.access_token;
    if (behaviour === 'token-type-mac') reply.token_type = 'mac';
    return sendJson(res, 200, reply);
  }

  async function idToken(
    behaviour: Behaviour,
    sub: string,
    nonce: string | undefined,
  ): Promise<string> {
    const now = nowS();
    const claims: JWTPayload = {
      iss: provider.issuer,
      sub,
      aud: CLIENT_ID,
      iat: now,
      exp: now + 300,
      nonce,
    };
    let key = signingKey;
    let kid: string | undefined = signingKey.kid;
    switch (behaviour) {
      case 'unpublished-key':
        key = unpublishedKey;
        kid = unpublishedKey.kid;
        break;
      case 'retired-key':
        if (!retiredKey) throw new Error('retired-key needs a rotateKeys() first');
        key = retiredKey;
        kid = retiredKey.kid;
        break;
      case 'no-kid':
        kid = undefined;
        break;
      case 'alg-none':
        return new UnsecuredJWT(withoutUndefined(claims)).encode();
      case 'wrong-iss':
        claims.iss = wrongIssuer(provider.issuer);
        break;
      case 'wrong-aud':
        claims.aud = 'another-client';
        break;
      case 'aud-array-wrong-azp':
        claims.aud = [CLIENT_ID, 'another-client'];
        claims.azp = 'another-client';
        break;
      case 'aud-array-no-azp':
        claims.aud = [CLIENT_ID, 'another-client'];
        break;
      case 'expired':
        claims.iat = now - 900;
        claims.exp = now - 600;
        break;
      case 'iat-future':
        claims.iat = now + 3600;
        claims.exp = now + 3900;
        break;
      case 'no-nonce':
        delete claims.nonce;
        break;
      case 'wrong-nonce':
        claims.nonce = random();
        break;
      case 'no-sub':
        delete claims.sub;
        break;
      case 'other-sub':
        claims.sub = `${sub}-other`;
        break;
    }
    const jwt = await new SignJWT(withoutUndefined(claims))
      .setProtectedHeader(kid ? { alg: 'RS256', kid } : { alg: 'RS256' })
      .sign(key.privateKey);
    return behaviour === 'bad-signature' ? corruptSignature(jwt) : jwt;
  }

  const origin = await listenOnLoopback(server);

  function stop(): Promise<void> {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    if (!listening) return Promise.resolve();
    listening = false;
    return new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  }

  const provider: FakeProvider = {
    issuer: origin,
    requests: [],
    discovery: 'up',
    discoveryIssuer: origin,
    tokenReply: undefined,
    signingKey: () => ({ kid: signingKey.kid, privateKey: signingKey.privateKey }),
    unpublishedKey: () => ({ kid: unpublishedKey.kid, privateKey: unpublishedKey.privateKey }),

    nextLogin(behaviour, authorizationUrl) {
      const q = authorizationUrl.searchParams;
      const get = (name: string) => {
        const value = q.get(name);
        if (!value) throw new Error(`the authorization request has no ${name}`);
        return value;
      };
      if (authorizationUrl.origin + authorizationUrl.pathname !== `${provider.issuer}/auth`)
        throw new Error('not our authorization endpoint');
      if (
        get('client_id') !== CLIENT_ID ||
        get('response_type') !== 'code' ||
        get('code_challenge_method') !== 'S256'
      ) {
        throw new Error('unexpected authorization request');
      }
      const request: AuthorizationRequest = {
        behaviour,
        state: get('state'),
        nonce: get('nonce'),
        codeChallenge: get('code_challenge'),
        redirectUri: get('redirect_uri'),
        used: false,
      };
      const code = `code-${random()}`;
      logins.set(code, request);

      return {
        behaviour,
        code,
        state: request.state,
        exchanges: () => provider.tokenRequests().filter((r) => r.body.get('code') === code).length,
        callbackUrl(response = 'success', { otherState } = {}) {
          const params: Record<string, string | undefined> = {
            code,
            state: request.state,
            iss: provider.issuer,
          };
          switch (response) {
            case 'no-state':
              params.state = undefined;
              break;
            case 'other-state':
              params.state = otherState ?? random();
              break;
            case 'wrong-iss':
              params.iss = wrongIssuer(provider.issuer);
              break;
            case 'no-iss':
              params.iss = undefined;
              break;
            case 'access-denied':
            case 'access-denied-html':
              params.code = undefined;
              params.error = 'access_denied';
              if (response === 'access-denied-html')
                params.error_description = HTML_ERROR_DESCRIPTION;
              break;
          }
          const url = new URL(request.redirectUri);
          for (const [name, value] of Object.entries(params))
            if (value !== undefined) url.searchParams.append(name, value);
          return url;
        },
      };
    },

    issueRefreshToken(behaviour, sub = SUBJECT) {
      const token = `rt-${random()}`;
      refreshTokens.set(token, { behaviour, sub });
      return token;
    },

    async rotateKeys() {
      retiredKey = signingKey;
      [signingKey, standbyKey] = await Promise.all([
        poolKey(nextPoolIndex),
        poolKey(nextPoolIndex + 1),
      ]);
      nextPoolIndex += 2;
    },

    refuseConnections: stop,
    tokenRequests: () => provider.requests.filter((r) => r.path === '/token'),
    jwksRequests: () => provider.requests.filter((r) => r.path === '/jwks').length,
    discoveryRequests: () =>
      provider.requests.filter((r) => r.path === '/.well-known/openid-configuration').length,
    close: stop,
  };
  return provider;
}

function withoutUndefined(claims: JWTPayload): JWTPayload {
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}
