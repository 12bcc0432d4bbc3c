/**
 * Every setting of the app, read from the environment in one place.
 *
 * With no OIDC_* variables set, the defaults point at the bundled local identity provider
 * (`idp/`, http://localhost:4000), so a fresh clone runs with zero configuration. Setting
 * OIDC_ISSUER switches to a real provider and then requires the client credentials too.
 *
 * This module uses Web APIs only: the Edge middleware imports it.
 */

import type { AccessTokenShape, ClientAuthMethod, ProviderProfile } from './providers/profiles.ts';
import { ProfileError, resolveProfile } from './providers/resolve.ts';
import type { RateLimit } from './rate-limit/limiter.ts';
import { ROUTES } from './routes.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The local identity provider's values. `idp/` registers its clients with these. */
export const LOCAL_IDP = {
  issuer: 'http://localhost:4000',
  clientId: 'next-oidc-reference',
  // Known to everyone who reads this file: it only ever opens the local, development-only IdP.
  clientSecret: 'local-idp-client-secret-for-development-only',
  machineClientId: 'reference-machine-client',
  machineClientSecret: 'local-idp-machine-secret-for-development-only',
  /** A machine client whose API access tokens are opaque: the introspection path (RFC 7662). */
  opaqueMachineClientId: 'reference-opaque-machine-client',
  opaqueMachineClientSecret: 'local-idp-opaque-machine-secret-for-development-only',
  /** The resource server's own credentials, for the introspection endpoint. */
  resourceServerId: 'reference-resource-server',
  resourceServerSecret: 'local-idp-resource-server-secret-for-development-only',
} as const;

/** Scopes the resource server (`app/api`) knows. */
export const API_SCOPES = {
  read: 'notes:read',
  write: 'notes:write',
  stats: 'stats:read',
  metrics: 'metrics:read',
} as const;

export const DEFAULTS = {
  scopes: `openid profile email offline_access ${API_SCOPES.read} ${API_SCOPES.write}`,
  apiAudience: 'http://localhost:3000/api',
  appBaseUrl: 'http://localhost:3000',
  /** Per client address: a sign-in is two requests, a sign-out two or three. */
  authRateLimit: { limit: 60, windowS: 60 },
  /** Per client address, refused requests only: a valid token is never limited. */
  apiRateLimit: { limit: 120, windowS: 60 },
  /** Introspection requests (RFC 7662) in flight at once; more are answered 429 at once. */
  introspectionMaxConcurrent: 16,
  /** 12 hours, then sign in again. */
  sessionMaxAgeS: 12 * 60 * 60,
  /** 1 hour without a request ends the session. */
  sessionIdleTimeoutS: 60 * 60,
  /** Holders of this role (the profile's roles claim) may write notes at /api. */
  writerRole: 'notes-writer',
} as const;

/** iron-session refuses shorter passwords; so do we, with a message that names the variable. */
export const MIN_SECRET_LENGTH = 32;

/** Words that mark a value written by hand for an example or a test, not generated. */
const SAMPLE_WORDS = [
  'secret',
  'password',
  'changeme',
  'change-me',
  'change_me',
  'example',
  'sample',
  'placeholder',
  'replace',
];
/** A generated secret of 32+ characters has far more distinct characters than this. */
const MIN_DISTINCT_CHARACTERS = 8;

/**
 * Why a session secret is obviously not a generated one, or undefined. Refused in production:
 * whoever knows the secret can forge any session. Samples and test values carry words such as
 * "secret" or "example" (a generated secret contains a given six-letter word with odds of about
 * one in 10⁷); a repeated character or pattern has few distinct characters.
 */
export function weakSecretReason(secret: string): string | undefined {
  const lower = secret.toLowerCase();
  const word = SAMPLE_WORDS.find((w) => lower.includes(w));
  if (word)
    return `contains "${word}": it looks like a sample or test value, not a generated secret`;
  if (new Set(secret).size < MIN_DISTINCT_CHARACTERS)
    return `has fewer than ${MIN_DISTINCT_CHARACTERS} distinct characters`;
  return undefined;
}

/** How the client authenticates at the token endpoint (RFC 6749 §2.3.1, RFC 7523 §2.2). */
export type ClientCredentials =
  | { method: 'client_secret_basic' | 'client_secret_post'; secret: string }
  /** The PKCS #8 PEM itself or a file holding it (read by the Node-only client), its `kid` and `alg`. */
  | {
      method: 'private_key_jwt';
      privateKey: { pem?: string; file?: string };
      keyId?: string;
      alg: string;
    };

export interface Config {
  production: boolean;
  /** True when OIDC_ISSUER is unset and the app talks to the bundled `idp/`. */
  localIdp: boolean;
  /** OIDC_PROVIDER's profile with its overrides (lib/providers/). */
  provider: ProviderProfile;
  issuer: URL;
  clientId: string;
  clientCredentials: ClientCredentials;
  /** The only `alg` accepted for ID tokens (OIDC Core §3.1.3.7 step 7; RFC 8725 §3.1). */
  idTokenSigningAlg: string;
  scopes: string;
  /** The resource indicator (RFC 8707) and expected `aud` of access tokens for `/api`. */
  apiAudience: string;
  appBaseUrl: URL;
  redirectUri: string;
  postLogoutRedirectUri: string;
  sessionSecret: string;
  /** Older secrets that still open (but never seal) session cookies: rotation. */
  previousSessionSecrets: string[];
  /** Absolute session lifetime, and the idle time after which a session ends. */
  sessionMaxAgeS: number;
  sessionIdleTimeoutS: number;
  /**
   * Where the tokens live (SESSION_STORE). `cookie`: sealed in the session cookie (the default).
   * `memory` (one process) or `redis` (many instances): on the server, and the cookie holds only
   * a sealed session id and the timestamps the Edge guard checks.
   */
  sessionStore: SessionStoreConfig;
  /**
   * SIGN_OUT_CLEAR_SITE_DATA (on by default): the last response of a sign-out carries
   * `Clear-Site-Data: "cookies"`. Browsers clear the cookies of the whole registrable domain
   * (app.example.com clears example.com and every subdomain): turn it off when the app shares its
   * domain with other apps whose cookies must survive.
   */
  clearSiteDataOnSignOut: boolean;
  /** RATE_LIMIT_AUTH: requests to /auth per client address (lib/rate-limit/); undefined when off. */
  authRateLimit?: RateLimit;
  /** The header naming the client's address (lib/rate-limit/client.ts); none: no per-address limits. */
  rateLimitClientHeader?: string;
}

export type SessionStoreConfig =
  { kind: 'cookie' } | { kind: 'memory' } | { kind: 'redis'; url: string };

/** SESSION_STORE, defaulting to redis when a Redis URL is set (Vercel's Redis integrations set KV_URL / REDIS_URL). */
function sessionStoreConfig(env: Env): SessionStoreConfig {
  const url = value(env, 'REDIS_URL') ?? value(env, 'KV_URL');
  const chosen = value(env, 'SESSION_STORE');
  if (!chosen && !url && (value(env, 'KV_REST_API_URL') || value(env, 'UPSTASH_REDIS_REST_URL'))) {
    // A Redis was added for this app, but only its REST address reached it: staying in cookie
    // mode without a word would silently drop what the user added it for (revocation, one refresh).
    throw new ConfigError(
      'KV_REST_API_URL is set but not REDIS_URL / KV_URL: the session store talks to Redis over TCP (node-redis). ' +
        'Set REDIS_URL to the database\'s rediss:// URL (Upstash shows it under "Connect"), or SESSION_STORE=cookie to keep cookie mode.',
    );
  }
  const kind = chosen ?? (url ? 'redis' : 'cookie');
  switch (kind) {
    case 'cookie':
    case 'memory':
      return { kind };
    case 'redis': {
      if (!url)
        throw new ConfigError(
          'SESSION_STORE=redis needs REDIS_URL (or KV_URL): redis://[user:password@]host:port or rediss://….',
        );
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL.');
      }
      if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
        throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL.');
      return { kind, url };
    }
    default:
      throw new ConfigError(`SESSION_STORE must be cookie, memory or redis; got "${kind}".`);
  }
}

type Env = Record<string, string | undefined>;

/** A rate limit, `<requests>/<seconds>` (60/60: 60 requests a minute), or `off`. */
function rateLimit(env: Env, name: string, fallback: RateLimit): RateLimit | undefined {
  const v = value(env, name);
  if (v === undefined) return fallback;
  if (v === 'off') return undefined;
  const match = /^(\d{1,7})\/(\d{1,5})$/.exec(v);
  const [limit, windowS] = [Number(match?.[1]), Number(match?.[2])];
  if (!match || limit < 1 || windowS < 1)
    throw new ConfigError(`${name} takes <requests>/<seconds>, such as 60/60, or off; got "${v}".`);
  return { limit, windowS };
}

/**
 * RATE_LIMIT_CLIENT_HEADER: the request header a trusted proxy in front of the app sets to the
 * client's address, overwriting any the client sent (`x-real-ip` with nginx's
 * `proxy_set_header X-Real-IP $remote_addr`). On Vercel, `x-real-ip` (set by Vercel's edge).
 * Without one, nothing names the client reliably, and the per-address limits are off.
 */
function clientHeader(env: Env): string | undefined {
  const v = value(env, 'RATE_LIMIT_CLIENT_HEADER')?.toLowerCase();
  if (v === undefined)
    return onVercelDeployment(env) || value(env, 'VERCEL') === '1' ? 'x-real-ip' : undefined;
  if (v === 'none') return undefined;
  if (!/^[a-z0-9-]{1,64}$/.test(v))
    throw new ConfigError(
      `RATE_LIMIT_CLIENT_HEADER must be a header name, such as x-real-ip, or none; got "${v}".`,
    );
  return v;
}

/** A whole number from 1 to 10,000, with a default. */
function count(env: Env, name: string, fallback: number): number {
  const v = value(env, name);
  if (v === undefined) return fallback;
  if (!/^\d{1,5}$/.test(v) || Number(v) < 1 || Number(v) > 10_000)
    throw new ConfigError(`${name} must be a whole number from 1 to 10000; got "${v}".`);
  return Number(v);
}

/** A setting that is `on` or `off`, with a default. */
function onOff(env: Env, name: string, fallback: boolean): boolean {
  const v = value(env, name);
  if (v === undefined) return fallback;
  if (v !== 'on' && v !== 'off') throw new ConfigError(`${name} must be on or off; got "${v}".`);
  return v === 'on';
}

function value(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/** Whether this runs on a Vercel deployment (production or preview), where nothing is on localhost. */
export function onVercelDeployment(env: Env = process.env): boolean {
  const stage = value(env, 'VERCEL_ENV');
  return stage === 'production' || stage === 'preview';
}

/**
 * The app's origin, from configuration only: APP_BASE_URL; on a Vercel deployment without it,
 * the production domain (VERCEL_PROJECT_PRODUCTION_URL) or the preview's branch URL
 * (VERCEL_BRANCH_URL), which are stable and can be registered at the provider. Never the
 * per-deployment VERCEL_URL, and never the request's Host.
 */
export function appOrigin(env: Env = process.env): URL {
  let fallback: string = DEFAULTS.appBaseUrl;
  if (!value(env, 'APP_BASE_URL') && onVercelDeployment(env)) {
    const production = value(env, 'VERCEL_ENV') === 'production';
    const name = production ? 'VERCEL_PROJECT_PRODUCTION_URL' : 'VERCEL_BRANCH_URL';
    const host = value(env, name);
    if (!host) {
      throw new ConfigError(
        `APP_BASE_URL is not set and this ${production ? 'production' : 'preview'} deployment has no ${name}: set APP_BASE_URL to the https:// origin users sign in on (the one registered at the provider).`,
      );
    }
    fallback = `https://${host}`;
  }
  const origin = url(env, 'APP_BASE_URL', fallback);
  if (
    origin.pathname !== '/' ||
    origin.search ||
    origin.hash ||
    origin.username ||
    origin.password
  ) {
    throw new ConfigError(
      `APP_BASE_URL must be an origin such as https://app.example.com, without a path; got "${origin.href}".`,
    );
  }
  // Production cookies are Secure: over http they would never come back, except on localhost.
  if (
    env.NODE_ENV === 'production' &&
    origin.protocol !== 'https:' &&
    !(origin.protocol === 'http:' && isLoopback(origin))
  ) {
    throw new ConfigError(
      `APP_BASE_URL must be an https:// origin in production (http:// only for localhost), got "${origin.href}".`,
    );
  }
  return origin;
}

/** The API's identifier when API_AUDIENCE is not set: this app's own /api. */
function defaultApiAudience(origin: URL): string {
  return new URL('/api', origin).href;
}

function url(env: Env, name: string, fallback: string): URL {
  const raw = value(env, name) ?? fallback;
  try {
    return new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute URL, got "${raw}".`);
  }
}

export function isLoopback(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

function seconds(env: Env, name: string, fallback: number): number {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 60)
    throw new ConfigError(`${name} must be a whole number of seconds, at least 60; got "${raw}".`);
  return n;
}

function profile(env: Env): ProviderProfile {
  try {
    return resolveProfile(env);
  } catch (err) {
    if (err instanceof ProfileError) throw new ConfigError(err.message);
    throw err;
  }
}

function clientCredentials(
  env: Env,
  method: ClientAuthMethod,
  localIdp: boolean,
): ClientCredentials {
  if (method === 'private_key_jwt') {
    const pem = value(env, 'OIDC_CLIENT_PRIVATE_KEY')?.replaceAll('\\n', '\n');
    const file = value(env, 'OIDC_CLIENT_PRIVATE_KEY_FILE');
    if (!pem === !file) {
      throw new ConfigError(
        'OIDC_CLIENT_AUTH_METHOD=private_key_jwt needs exactly one of OIDC_CLIENT_PRIVATE_KEY (a PKCS #8 PEM) or OIDC_CLIENT_PRIVATE_KEY_FILE.',
      );
    }
    if (pem && !pem.includes('-----BEGIN PRIVATE KEY-----')) {
      throw new ConfigError(
        'OIDC_CLIENT_PRIVATE_KEY must be a PKCS #8 PEM ("-----BEGIN PRIVATE KEY-----"; newlines may be written as \\n).',
      );
    }
    const alg = value(env, 'OIDC_CLIENT_KEY_ALG') ?? 'RS256';
    if (!ASYMMETRIC_ALGORITHMS.includes(alg))
      throw new ConfigError(
        `OIDC_CLIENT_KEY_ALG must be one of ${ASYMMETRIC_ALGORITHMS.join(', ')}; got "${alg}".`,
      );
    return { method, privateKey: { pem, file }, keyId: value(env, 'OIDC_CLIENT_KEY_ID'), alg };
  }
  const secret =
    value(env, 'OIDC_CLIENT_SECRET') ?? (localIdp ? LOCAL_IDP.clientSecret : undefined);
  if (!secret)
    throw new ConfigError(`OIDC_CLIENT_SECRET is required when OIDC_ISSUER is set (${method}).`);
  return { method, secret };
}

/** Reads and checks the configuration. Throws a ConfigError naming the variable at fault. */
export function readConfig(env: Env = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const localIdp = value(env, 'OIDC_ISSUER') === undefined;
  const provider = profile(env);

  const issuer = url(env, 'OIDC_ISSUER', LOCAL_IDP.issuer);
  // RFC 9700 §2.6 / OIDC Discovery §4.1: the issuer is https, except on this machine.
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && isLoopback(issuer))) {
    throw new ConfigError(
      `OIDC_ISSUER must be an https:// URL (http:// only for localhost), got "${issuer.href}".`,
    );
  }
  const appBaseUrl = appOrigin(env);

  const clientId = value(env, 'OIDC_CLIENT_ID') ?? (localIdp ? LOCAL_IDP.clientId : undefined);
  if (!clientId) throw new ConfigError('OIDC_CLIENT_ID is required when OIDC_ISSUER is set.');
  const credentials = clientCredentials(env, provider.clientAuthMethod, localIdp);

  const requested = (value(env, 'OIDC_SCOPES') ?? provider.defaultScopes ?? DEFAULTS.scopes).split(
    /\s+/,
  );
  if (!requested.includes('openid')) {
    throw new ConfigError('OIDC_SCOPES must include "openid".');
  }
  const scopes = [...new Set([...requested, ...provider.extraScopes])].join(' ');

  const idTokenSigningAlg = value(env, 'OIDC_ID_TOKEN_SIGNING_ALG') ?? 'RS256';
  if (!ASYMMETRIC_ALGORITHMS.includes(idTokenSigningAlg)) {
    throw new ConfigError(
      `OIDC_ID_TOKEN_SIGNING_ALG must be one of ${ASYMMETRIC_ALGORITHMS.join(', ')}; got "${idTokenSigningAlg}".`,
    );
  }

  const apiAudience = value(env, 'API_AUDIENCE') ?? defaultApiAudience(appBaseUrl);
  // The ID token's `aud` is the client id (OIDC Core §2). If the API accepted that audience, an
  // ID token would pass the audience check at /api: refuse the configuration instead.
  if (apiAudience === clientId) {
    throw new ConfigError(
      `API_AUDIENCE equals OIDC_CLIENT_ID ("${clientId}"). ID tokens carry the client id as their audience, so /api would be one check away from accepting them. Give the API its own identifier at the provider (an API / resource server / app ID URI) and set API_AUDIENCE to it.`,
    );
  }

  const sessionSecret = value(env, 'SESSION_SECRET');
  if (!sessionSecret) {
    throw new ConfigError(
      production
        ? 'SESSION_SECRET is required in production: set it to a random string of at least 32 characters (openssl rand -base64 32).'
        : 'SESSION_SECRET is not set. Start the app with `npm run dev`, which generates one, or set it.',
    );
  }
  if (sessionSecret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(`SESSION_SECRET must be at least ${MIN_SECRET_LENGTH} characters long.`);
  }
  const weak = production ? weakSecretReason(sessionSecret) : undefined;
  if (weak) throw new ConfigError(`SESSION_SECRET ${weak}. Generate one: openssl rand -base64 32.`);

  const previousSessionSecrets = (value(env, 'SESSION_SECRET_PREVIOUS') ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (previousSessionSecrets.some((v) => v.length < MIN_SECRET_LENGTH)) {
    throw new ConfigError(
      `Every secret in SESSION_SECRET_PREVIOUS must be at least ${MIN_SECRET_LENGTH} characters long.`,
    );
  }
  const weakPrevious = production
    ? previousSessionSecrets.map(weakSecretReason).find(Boolean)
    : undefined;
  if (weakPrevious)
    throw new ConfigError(
      `A secret in SESSION_SECRET_PREVIOUS ${weakPrevious}: remove it (cookies sealed with it could be forged).`,
    );
  const sessionMaxAgeS = seconds(env, 'SESSION_MAX_AGE', DEFAULTS.sessionMaxAgeS);
  const sessionIdleTimeoutS = seconds(env, 'SESSION_IDLE_TIMEOUT', DEFAULTS.sessionIdleTimeoutS);
  if (sessionIdleTimeoutS > sessionMaxAgeS) {
    throw new ConfigError('SESSION_IDLE_TIMEOUT must not be longer than SESSION_MAX_AGE.');
  }

  return {
    production,
    localIdp,
    provider,
    issuer,
    clientId,
    clientCredentials: credentials,
    idTokenSigningAlg,
    scopes,
    apiAudience,
    appBaseUrl,
    redirectUri: new URL(ROUTES.callback, appBaseUrl).href,
    postLogoutRedirectUri: new URL(ROUTES.logoutCallback, appBaseUrl).href,
    sessionSecret,
    previousSessionSecrets,
    sessionMaxAgeS,
    sessionIdleTimeoutS,
    sessionStore: sessionStoreConfig(env),
    clearSiteDataOnSignOut: onOff(env, 'SIGN_OUT_CLEAR_SITE_DATA', true),
    authRateLimit: rateLimit(env, 'RATE_LIMIT_AUTH', DEFAULTS.authRateLimit),
    rateLimitClientHeader: clientHeader(env),
  };
}

/** Algorithms a resource server may accept: asymmetric only (RFC 8725 §3.1, §3.2). */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];
/** The most clock tolerance the resource server allows itself (documented in docs/api.md). */
export const MAX_CLOCK_TOLERANCE_S = 60;

/** The resource server's settings. It needs neither the session secret nor the client's. */
export interface ResourceServerConfig {
  issuer: URL;
  /** The `iss` access tokens carry, when it differs from the OIDC issuer (API_ISSUER, e.g. Entra v1 tokens). */
  tokenIssuer?: string;
  /** Where the keys are, when not the issuer metadata's `jwks_uri` (API_JWKS_URI). */
  jwksUri?: URL;
  audience: string;
  algorithms: string[];
  clockToleranceS: number;
  /** The provider's access-token shape (lib/providers/). */
  tokenShape: AccessTokenShape;
  /** Removed from the front of every granted scope (API_SCOPE_PREFIX, e.g. Cognito's `<resource server>/`). */
  scopePrefix?: string;
  /** Provider scope name → the API's scope name (API_SCOPE_MAP). */
  scopeMap: Record<string, string>;
  /** False when the provider issues no access tokens for this API (Google). */
  enabled: boolean;
  /** Who may write notes: holders of this role (from the roles claim), or these subjects. */
  writerRole?: string;
  writers: string[];
  /** RFC 7662 credentials; opaque tokens are refused without them. */
  introspection?: { clientId: string; clientSecret: string };
  /** API_INTROSPECTION_MAX_CONCURRENT: introspection requests in flight at once, at most. */
  introspectionMaxConcurrent: number;
  /** RATE_LIMIT_API: refused /api requests per client address (lib/rate-limit/); undefined when off. */
  unauthenticatedRateLimit?: RateLimit;
  /** The header naming the client's address (lib/rate-limit/client.ts); none: no per-address limits. */
  rateLimitClientHeader?: string;
  /** Expose GET /api/metrics (machine token with metrics:read). */
  metrics: boolean;
}

export function readResourceServerConfig(env: Env = process.env): ResourceServerConfig {
  const localIdp = value(env, 'OIDC_ISSUER') === undefined;
  const issuer = url(env, 'OIDC_ISSUER', LOCAL_IDP.issuer);
  const provider = profile(env);
  const jwks = value(env, 'API_JWKS_URI');
  const jwksUri = jwks === undefined ? undefined : url(env, 'API_JWKS_URI', jwks);
  if (
    jwksUri &&
    jwksUri.protocol !== 'https:' &&
    !(jwksUri.protocol === 'http:' && isLoopback(jwksUri))
  ) {
    throw new ConfigError(
      `API_JWKS_URI must be an https:// URL (http:// only for localhost), got "${jwksUri.href}".`,
    );
  }

  const algorithms = (value(env, 'API_ALGORITHMS') ?? 'RS256 PS256 ES256')
    .split(/[\s,]+/)
    .filter(Boolean);
  const refused = algorithms.filter((a) => !ASYMMETRIC_ALGORITHMS.includes(a));
  if (refused.length || !algorithms.length) {
    throw new ConfigError(
      `API_ALGORITHMS may list only asymmetric algorithms (${ASYMMETRIC_ALGORITHMS.join(', ')}); refused: ${refused.join(', ') || '(empty)'}.`,
    );
  }

  const tolerance = Number(value(env, 'API_CLOCK_TOLERANCE') ?? 30);
  if (!Number.isInteger(tolerance) || tolerance < 0 || tolerance > MAX_CLOCK_TOLERANCE_S) {
    throw new ConfigError(
      `API_CLOCK_TOLERANCE must be a whole number of seconds from 0 to ${MAX_CLOCK_TOLERANCE_S}.`,
    );
  }

  let clientId = value(env, 'API_INTROSPECTION_CLIENT_ID');
  let clientSecret = value(env, 'API_INTROSPECTION_CLIENT_SECRET');
  if (localIdp) {
    clientId ??= LOCAL_IDP.resourceServerId;
    clientSecret ??= LOCAL_IDP.resourceServerSecret;
  }
  if (Boolean(clientId) !== Boolean(clientSecret)) {
    throw new ConfigError(
      'API_INTROSPECTION_CLIENT_ID and API_INTROSPECTION_CLIENT_SECRET go together: set both or neither.',
    );
  }

  const writerRole = value(env, 'API_WRITER_ROLE') ?? DEFAULTS.writerRole;
  const scopeMap: Record<string, string> = {};
  for (const pair of (value(env, 'API_SCOPE_MAP') ?? '').split(/[\s,]+/).filter(Boolean)) {
    const [from, to] = pair.split('=');
    if (!from || !to || pair.split('=').length !== 2)
      throw new ConfigError(
        `API_SCOPE_MAP takes provider=api pairs, such as "Notes.Read=notes:read"; got "${pair}".`,
      );
    scopeMap[from] = to;
  }
  return {
    issuer,
    tokenIssuer: value(env, 'API_ISSUER'),
    jwksUri,
    audience: value(env, 'API_AUDIENCE') ?? defaultApiAudience(appOrigin(env)),
    algorithms,
    clockToleranceS: tolerance,
    tokenShape: provider.accessToken,
    scopePrefix: value(env, 'API_SCOPE_PREFIX'),
    scopeMap,
    enabled: provider.api.supported,
    writerRole: writerRole === 'none' ? undefined : writerRole,
    writers: (value(env, 'API_WRITERS') ?? '').split(/[\s,]+/).filter(Boolean),
    introspection: clientId && clientSecret ? { clientId, clientSecret } : undefined,
    introspectionMaxConcurrent: count(
      env,
      'API_INTROSPECTION_MAX_CONCURRENT',
      DEFAULTS.introspectionMaxConcurrent,
    ),
    unauthenticatedRateLimit: rateLimit(env, 'RATE_LIMIT_API', DEFAULTS.apiRateLimit),
    rateLimitClientHeader: clientHeader(env),
    metrics: value(env, 'API_METRICS') !== 'off',
  };
}

let cached: Config | undefined;

/** The process's configuration, read once. */
export function config(): Config {
  cached ??= readConfig();
  return cached;
}

let cachedResourceServer: ResourceServerConfig | undefined;

/** The process's resource-server configuration, read once. */
export function resourceServerConfig(): ResourceServerConfig {
  cachedResourceServer ??= readResourceServerConfig();
  return cachedResourceServer;
}
