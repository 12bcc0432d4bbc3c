/**
 * The fake OpenID provider of the unit tests (a helper module, not a test file). One configurable
 * provider serves every suite that needs one:
 *
 * - the client's tests (test/client/callback.test.ts, test/client/hostile-provider/), with the
 *   client loader ./client.ts;
 * - the resource server's tests (test/resource-server/, test/providers/token-shapes/), with the
 *   route-handler loader ./resource-server.ts;
 * - the setup doctor's tests (test/doctor/).
 *
 * WHAT IT SERVES. A real node:http server on 127.0.0.1, on an ephemeral port. The issuer is
 * `http://localhost:<port>` (plain http is allowed for loopback only), followed by `path` when one
 * is given. Under the issuer it serves:
 *
 * - `/.well-known/openid-configuration`: discovery. For an issuer with a path it also answers at
 *   the origin, so a test can configure the issuer without its path;
 * - `/auth`: advertised only. `nextLogin` plays the authorization endpoint (see below);
 * - `/token`: the authorization_code grant (one-time codes bound to the authorization request's
 *   redirect_uri, PKCE S256, nonce), refresh_token and client_credentials, for one registered
 *   client (client_secret_basic or client_secret_post);
 * - `/jwks`: the published keys;
 * - `/introspect`: RFC 7662 introspection, for the resource server's credentials
 *   (RS_CLIENT_ID, RS_CLIENT_SECRET, HTTP Basic);
 * - `/attacker/*`: a key set holding the forging key. A token that points a verifier there
 *   (jku, x5u) would verify if it were followed; the tests check that it is never asked.
 *
 * `/logout` and `/revoke` are advertised in discovery but not served. Every request is recorded
 * (method, path, form body, client credentials) in `requests`.
 *
 * It behaves like a real provider unless a test tells it to misbehave.
 *
 * HOW TO CONFIGURE IT. `startFakeProvider(options)` takes:
 *
 * - `path`: the issuer's path, e.g. '/oidc' (none by default);
 * - `publish`: the keys the JWKS starts with (see Keys below);
 * - `client`: the client registered at the token endpoint, to which the access tokens are also
 *   issued. By default CLIENT_ID and CLIENT_SECRET are registered and the access tokens name
 *   client 'app';
 * - `slowMs`: how long `slow` answers take (10 s by default).
 *
 * While it runs, a test sets members:
 *
 * - Discovery: `discovery` makes it fail (503) or answer late, `discoveryIssuer` makes the
 *   document name another issuer, and `metadata` adds, changes or removes (`undefined`) other
 *   members. `refuseConnections()` takes the provider off the network (connection refused).
 *
 * - Keys: `keys` holds four key pairs. `rs` (RS256) signs the ID tokens and the access tokens.
 *   `standby` (RS256) is the next key, published ahead of a rotation as providers do. `es` is an
 *   ES256 key. `forge` (RS256) is never published: an attacker's key, and the client tests'
 *   unpublished key. `publish` picks what /jwks starts with. The default is ['rs', 'standby'], so
 *   an ID token without `kid` matches two keys. The resource-server tests publish ['rs', 'es'],
 *   one key per algorithm, and the doctor's tests ['rs']. `jwks` is the published list: replace
 *   it or add to it.
 *   `rotateKeys()` is an abrupt rotation: two new RSA keys replace the JWKS, and the old signing
 *   key is retired (the `retired-key` behaviour still signs with it). `jwksMode` makes /jwks answer
 *   503 ('unavailable'), drop the connection ('drop') or answer late ('slow').
 *
 * - Sign-in, per login (the default). A test starts a real login and picks a named `Behaviour`
 *   for it:
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
 * - Sign-in, a fixed reply. A test that builds its own ID tokens sets `tokenReply`: from then on
 *   every authorization_code request is answered with it once the client authentication checks
 *   out and code, code_verifier and redirect_uri are present. Codes are not looked up, so any code
 *   and any transaction will do. Such a test signs its tokens with `signingKey()` (published) or
 *   `unpublishedKey()`.
 *
 * - Any token request. `tokenEndpoint`, when set, answers every token request in the provider's
 *   place, without any check of its own (the request is still recorded).
 *
 * - Access tokens. `mint()` signs an RFC 9068 access token for the API (API_AUDIENCE) with the
 *   signing key; `claims()` gives its default claims. Both take overrides, where `undefined`
 *   removes a member. The client_credentials grant answers with such a token for the client
 *   itself (sub and client_id), for the `resource` and `scope` it asked for.
 *
 * - Introspection. `introspection` maps a token to its answer (`{ active: false }` for any other
 *   token); `introspectionMode` 'drop' drops the connection; `introspectionDelayMs` delays the
 *   answer.
 *
 * Clocks. ID tokens are dated by Date.now, which the client checks them against: a test that
 * freezes Date.now moves both. Access tokens are dated by the real clock (`nowS` of ./jws.ts),
 * which jose checks them against.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { SignJWT, UnsecuredJWT, type JWK, type JWTPayload } from 'jose';
import {
  basicCredentials,
  corruptSignature,
  listenOnLoopback,
  readBody,
  sendJson,
} from './http.ts';
import {
  b64json,
  merge,
  newKeyPair,
  nowS,
  signSegments,
  type KeyPair,
  type Overrides,
} from './jws.ts';

/** The client the provider knows by default (client_secret_basic); ./client.ts configures it. */
export const CLIENT_ID = 'test-client';
export const CLIENT_SECRET = 'test-client-secret';
/** The subject of every login. */
export const SUBJECT = 'user-1';
/** What the `access-denied-html` authorization response carries in error_description. */
export const HTML_ERROR_DESCRIPTION = '<script>alert(1)</script><img src=x onerror=alert(2)>';
/** The issuer a `wrong-iss` ID token and authorization response name: ours, with a trailing slash. */
export const wrongIssuer = (issuer: string) => `${issuer}/`;

/** The audience of the access tokens `mint()` signs: the API's. */
export const API_AUDIENCE = 'https://api.test';
/** The resource server's credentials at the introspection endpoint. */
export const RS_CLIENT_ID = 'test-resource-server';
export const RS_CLIENT_SECRET = 'test-resource-server-secret';

// ---------------------------------------------------------------------------------------------
// Behaviours of a login.

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

/** 'up' serves the keys; 'unavailable' answers 503; 'drop' destroys the socket; 'slow' waits slowMs. */
export type JwksMode = 'up' | 'unavailable' | 'drop' | 'slow';

/** What each JWKS fault of a login makes of /jwks. */
const JWKS_FAULT_MODES: Record<JwksFault, JwksMode> = {
  'jwks-unavailable': 'unavailable',
  'jwks-dropped': 'drop',
  'jwks-slow': 'slow',
};

// ---------------------------------------------------------------------------------------------
// Keys. The RSA keys come from a pool shared by every provider in a test file (RSA key
// generation is slow); each provider publishes them under its own kids.

/** A key a test can sign its own ID tokens with, under `kid`. */
export type SigningKey = Pick<KeyPair, 'kid' | 'privateKey'>;

export interface ProviderKeys {
  /** RS256: signs the ID tokens and the access tokens (kid rs-1, then rs-2 after a rotation...). */
  rs: KeyPair;
  /** RS256: the next signing key (kid standby-1...). */
  standby: KeyPair;
  /** ES256 (kid es-1). */
  es: KeyPair;
  /** RS256, never published (kid attacker-1). */
  forge: KeyPair;
}

const rsaPool: Array<Promise<KeyPair>> = [];

/** RSA key number `index` of this test file's pool, under `kid`. */
async function pooledRsaKey(index: number, kid: string): Promise<KeyPair> {
  rsaPool[index] ??= newKeyPair('RS256', `pool-${index}`);
  const pair = await rsaPool[index];
  return { ...pair, kid, jwk: { ...pair.jwk, kid } };
}

// ---------------------------------------------------------------------------------------------
// The provider.

export interface RecordedRequest {
  method: string;
  /** The path from the origin (the issuer's path included). */
  path: string;
  /** The form body; empty for a GET. */
  body: URLSearchParams;
  /** The client authentication: HTTP Basic, or client_id and client_secret in the body. */
  credentials?: { id: string; secret: string };
}

/** An answer of the token endpoint (`tokenReply`, `tokenEndpoint`). */
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
  /** `http://localhost:<port>` and the path, exactly as the metadata states it. */
  readonly issuer: string;
  readonly jwksUri: URL;
  readonly introspectionEndpoint: string;

  // Discovery.
  /** How discovery answers; `up` by default. */
  discovery: DiscoveryMode;
  /** The `issuer` the discovery document claims; the real issuer unless a test says otherwise. */
  discoveryIssuer: string;
  /** Merged onto the discovery document; a member set to `undefined` removes it. */
  metadata: Overrides;

  // Keys.
  /** The provider's keys; `rotateKeys()` replaces `rs` and `standby`. */
  readonly keys: ProviderKeys;
  /** The keys /jwks publishes; replace it or add to it. */
  jwks: JWK[];
  /** How /jwks answers, unless a login's JWKS fault applies; `up` by default. */
  jwksMode: JwksMode;
  /** The key that signs the ID tokens now (`keys.rs`); the JWKS publishes it. */
  signingKey(): SigningKey;
  /** A key the JWKS never publishes (`keys.forge`). */
  unpublishedKey(): SigningKey;
  /** Abrupt rotation: two new keys replace the JWKS; the old signing key is retired. */
  rotateKeys(): Promise<void>;

  // The token endpoint.
  /**
   * When set, every authorization_code request is answered with this, once the client
   * authentication checks out and code, code_verifier and redirect_uri are present (codes from
   * nextLogin are then not looked up). Unset by default: each code gets its login's behaviour.
   * The refresh grant is unaffected.
   */
  tokenReply: TokenReply | undefined;
  /** When set, answers every token request in the provider's place, without any check. */
  tokenEndpoint: ((request: RecordedRequest) => TokenReply | Promise<TokenReply>) | undefined;
  /** Plays the authorization endpoint for `authorizationUrl` (from startLogin). */
  nextLogin(behaviour: Behaviour, authorizationUrl: URL): Login;
  /** A refresh token whose refresh request gets `behaviour`; refreshed ID tokens are for `sub`. */
  issueRefreshToken(behaviour: Behaviour, sub?: string): string;

  // Access tokens.
  /**
   * Default access-token claims (RFC 9068 §2.2) for alice, issued to client 'app' (or the client
   * given at the start); overrides merged on top.
   */
  claims(overrides?: Overrides): Overrides;
  /**
   * Signs an access token: header {alg: RS256, typ: at+jwt, kid}, the default claims, the
   * signing key. Overrides set to `undefined` remove a member.
   */
  mint(claims?: Overrides, header?: Overrides, key?: CryptoKey): Promise<string>;

  // Introspection.
  /** What /introspect answers per token; `{ active: false }` for any other. */
  introspection: Map<string, Record<string, unknown>>;
  /** 'drop' destroys the socket of introspection requests. */
  introspectionMode: 'up' | 'drop';
  /** How long /introspect takes to answer, in ms (0 by default). */
  introspectionDelayMs: number;
  /** The `token` parameters /introspect received, in order. */
  introspectedTokens: string[];

  // Requests.
  /** Every request the provider received, in order. */
  readonly requests: RecordedRequest[];
  /** How many requests went to `path` (from the origin). */
  requestsTo(path: string): number;
  /** The requests to the token endpoint, in order. */
  tokenRequests(): RecordedRequest[];
  jwksRequests(): number;
  discoveryRequests(): number;
  introspectionRequests(): number;

  /** Stops listening: from now on, connections to the issuer are refused. */
  refuseConnections(): Promise<void>;
  close(): Promise<void>;
}

export interface ProviderOptions {
  /** The issuer's path, e.g. '/oidc'; none by default. */
  path?: string;
  /** The keys /jwks publishes at the start; ['rs', 'standby'] by default. */
  publish?: Array<'rs' | 'standby' | 'es'>;
  /**
   * The client registered at the token endpoint, and the client_id of the access tokens;
   * CLIENT_ID and CLIENT_SECRET by default, with access tokens for client_id 'app'.
   */
  client?: { id: string; secret: string };
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

const DISCOVERY_PATH = '/.well-known/openid-configuration';
const random = () => randomBytes(16).toString('base64url');
/** Seconds by Date.now, which the client checks ID tokens against (a frozen clock included). */
const dateNowS = () => Math.floor(Date.now() / 1000);

export async function startFakeProvider(options: ProviderOptions = {}): Promise<FakeProvider> {
  const prefix = options.path ?? '';
  const slowMs = options.slowMs ?? 10_000;
  const client = options.client ?? { id: CLIENT_ID, secret: CLIENT_SECRET };
  /** The client_id of the access tokens: the client a test registers, else 'app'. */
  const accessTokenClientId = options.client?.id ?? 'app';
  const [rs, standby, forge, es] = await Promise.all([
    pooledRsaKey(0, 'rs-1'),
    pooledRsaKey(1, 'standby-1'),
    pooledRsaKey(2, 'attacker-1'),
    newKeyPair('ES256', 'es-1'),
  ]);
  const keys: ProviderKeys = { rs, standby, es, forge };
  let retiredKey: KeyPair | undefined;
  let generation = 1;

  const logins = new Map<string, AuthorizationRequest>();
  const refreshTokens = new Map<string, { behaviour: Behaviour; sub: string }>();
  /** The JWKS fault of the last login whose token request was answered, if it had one. */
  let loginJwksFault: JwksFault | undefined;
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

  const jwksMode = (): JwksMode =>
    loginJwksFault ? JWKS_FAULT_MODES[loginJwksFault] : provider.jwksMode;
  const isDiscovery = (path: string) =>
    path === `${prefix}${DISCOVERY_PATH}` || path === DISCOVERY_PATH;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? '';
    const path = new URL(req.url ?? '/', provider.issuer).pathname;
    // A dropped connection is cut before the body is read.
    const drop =
      (method === 'GET' && path === `${prefix}/jwks` && jwksMode() === 'drop') ||
      (path === `${prefix}/introspect` && provider.introspectionMode === 'drop');
    const body = new URLSearchParams(drop ? '' : await readBody(req));
    const request: RecordedRequest = {
      method,
      path,
      body,
      credentials: basicCredentials(req.headers.authorization) ?? postedCredentials(body),
    };
    provider.requests.push(request);
    if (drop) return void req.socket.destroy();

    if (method === 'GET' && isDiscovery(path)) {
      const document = discoveryDocument();
      if (provider.discovery === 'unavailable')
        return sendJson(res, 503, { error: 'temporarily_unavailable' });
      if (provider.discovery === 'slow') return later(slowMs, () => sendJson(res, 200, document));
      return sendJson(res, 200, document);
    }
    if (method === 'GET' && path === `${prefix}/jwks`) {
      const jwks = { keys: provider.jwks };
      switch (jwksMode()) {
        case 'unavailable':
          return sendJson(res, 503, { error: 'temporarily_unavailable' }, { 'retry-after': '1' });
        case 'slow':
          return later(slowMs, () => sendJson(res, 200, jwks));
        default:
          return sendJson(res, 200, jwks);
      }
    }
    if (method === 'POST' && path === `${prefix}/token`) return answerTokenRequest(res, request);
    if (path === `${prefix}/introspect`) return answerIntrospection(res, request);
    // A key set an attacker points at (jku, x5u): a verifier that followed it would accept the
    // forgery, so the tests assert it is never asked.
    if (path.startsWith(`${prefix}/attacker/`))
      return sendJson(res, 200, { keys: [keys.forge.jwk] });
    return sendJson(res, 404, { error: 'not_found' });
  }

  function discoveryDocument(): Overrides {
    const { issuer } = provider;
    return merge(
      {
        issuer: provider.discoveryIssuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: provider.jwksUri.href,
        end_session_endpoint: `${issuer}/logout`,
        revocation_endpoint: `${issuer}/revoke`,
        introspection_endpoint: provider.introspectionEndpoint,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        authorization_response_iss_parameter_supported: true,
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      },
      provider.metadata,
    );
  }

  async function answerTokenRequest(res: ServerResponse, request: RecordedRequest): Promise<void> {
    if (provider.tokenEndpoint) {
      const { status, body } = await provider.tokenEndpoint(request);
      return sendJson(res, status, body);
    }
    const { body, credentials } = request;
    if (credentials?.id !== client.id || credentials.secret !== client.secret)
      return sendJson(res, 401, { error: 'invalid_client' });

    switch (body.get('grant_type')) {
      case 'authorization_code':
        return answerCodeExchange(res, body);
      case 'refresh_token': {
        const grant = refreshTokens.get(body.get('refresh_token') ?? '');
        if (!grant)
          return sendJson(res, 400, {
            error: 'invalid_grant',
            error_description: 'unknown refresh token',
          });
        return answerToken(res, grant.behaviour, grant.sub, undefined);
      }
      case 'client_credentials': {
        const accessToken = await provider.mint({
          sub: client.id,
          client_id: client.id,
          aud: body.get('resource') ?? 'urn:default',
          scope: body.get('scope') ?? '',
        });
        return sendJson(res, 200, {
          access_token: accessToken,
          token_type: 'Bearer',
          expires_in: 300,
        });
      }
      default:
        return sendJson(res, 400, { error: 'unsupported_grant_type' });
    }
  }

  async function answerCodeExchange(res: ServerResponse, body: URLSearchParams): Promise<void> {
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

  /** The token endpoint's answer for `behaviour`; `nonce` is undefined for a refresh. */
  async function answerToken(
    res: ServerResponse,
    behaviour: Behaviour,
    sub: string,
    nonce: string | undefined,
  ): Promise<void> {
    loginJwksFault = (JWKS_FAULTS as readonly string[]).includes(behaviour)
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
    const now = dateNowS();
    const claims: JWTPayload = {
      iss: provider.issuer,
      sub,
      aud: client.id,
      iat: now,
      exp: now + 300,
      nonce,
    };
    let key = keys.rs;
    let kid: string | undefined = keys.rs.kid;
    switch (behaviour) {
      case 'unpublished-key':
        key = keys.forge;
        kid = keys.forge.kid;
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
        claims.aud = [client.id, 'another-client'];
        claims.azp = 'another-client';
        break;
      case 'aud-array-no-azp':
        claims.aud = [client.id, 'another-client'];
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

  async function answerIntrospection(res: ServerResponse, request: RecordedRequest): Promise<void> {
    if (request.method !== 'POST') return sendJson(res, 405, { error: 'invalid_request' });
    const { credentials } = request;
    if (credentials?.id !== RS_CLIENT_ID || credentials.secret !== RS_CLIENT_SECRET) {
      return sendJson(
        res,
        401,
        { error: 'invalid_client' },
        { 'www-authenticate': 'Basic realm="introspection"' },
      );
    }
    const token = request.body.get('token');
    if (!token) return sendJson(res, 400, { error: 'invalid_request' });
    provider.introspectedTokens.push(token);
    if (provider.introspectionDelayMs)
      await new Promise((resolve) => setTimeout(resolve, provider.introspectionDelayMs));
    return sendJson(res, 200, provider.introspection.get(token) ?? { active: false });
  }

  const issuer = `${await listenOnLoopback(server)}${prefix}`;

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
    issuer,
    jwksUri: new URL(`${issuer}/jwks`),
    introspectionEndpoint: `${issuer}/introspect`,

    discovery: 'up',
    discoveryIssuer: issuer,
    metadata: {},

    keys,
    jwks: (options.publish ?? ['rs', 'standby']).map((name) => keys[name].jwk),
    jwksMode: 'up',
    signingKey: () => keys.rs,
    unpublishedKey: () => keys.forge,
    async rotateKeys() {
      retiredKey = keys.rs;
      generation += 1;
      [keys.rs, keys.standby] = await Promise.all([
        pooledRsaKey(2 * generation - 1, `rs-${generation}`),
        pooledRsaKey(2 * generation, `standby-${generation}`),
      ]);
      provider.jwks = [keys.rs.jwk, keys.standby.jwk];
    },

    tokenReply: undefined,
    tokenEndpoint: undefined,

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
        get('client_id') !== client.id ||
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

    claims: (overrides = {}) => {
      const now = nowS();
      return merge(
        {
          iss: issuer,
          sub: 'alice',
          aud: API_AUDIENCE,
          client_id: accessTokenClientId,
          scope: 'notes:read notes:write',
          iat: now,
          exp: now + 300,
          jti: crypto.randomUUID(),
        },
        overrides,
      );
    },
    mint: (claims = {}, header = {}, key = keys.rs.privateKey) =>
      signSegments(
        b64json(merge({ alg: 'RS256', typ: 'at+jwt', kid: keys.rs.kid }, header)),
        b64json(provider.claims(claims)),
        key,
      ),

    introspection: new Map(),
    introspectionMode: 'up',
    introspectionDelayMs: 0,
    introspectedTokens: [],

    requests: [],
    requestsTo: (path) => provider.requests.filter((r) => r.path === path).length,
    tokenRequests: () => provider.requests.filter((r) => r.path === `${prefix}/token`),
    jwksRequests: () => provider.requestsTo(`${prefix}/jwks`),
    discoveryRequests: () => provider.requests.filter((r) => isDiscovery(r.path)).length,
    introspectionRequests: () => provider.requestsTo(`${prefix}/introspect`),

    refuseConnections: stop,
    close: stop,
  };
  return provider;
}

/** RFC 6749 §2.3.1 client_secret_post: client_id and client_secret in the form body. */
function postedCredentials(body: URLSearchParams): RecordedRequest['credentials'] {
  const id = body.get('client_id');
  const secret = body.get('client_secret');
  return id !== null && secret !== null ? { id, secret } : undefined;
}

function withoutUndefined(claims: JWTPayload): JWTPayload {
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}
