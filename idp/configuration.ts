/**
 * Configuration of the local authorization server (oidc-provider). Development and tests only:
 * the app switches to a real provider as soon as OIDC_ISSUER is set, and then this never runs.
 */
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { ROUTES } from '../lib/routes.ts';
import { errors } from 'oidc-provider';
import { API_SCOPES, DEFAULTS, isLoopback, LOCAL_IDP } from '../lib/config.ts';
import { claimsOf, findAccountBySub } from './accounts.ts';
import { escape, page } from './views.ts';

const env = process.env;
export const APP_BASE_URL = env.APP_BASE_URL || DEFAULTS.appBaseUrl;
/** Origins of further app instances (tests: the store-mode instance), comma-separated. */
const APP_ORIGINS = [
  APP_BASE_URL,
  ...(env.IDP_EXTRA_APP_URLS ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean),
];
/** The app's default: its own /api (lib/config.ts). */
export const API_AUDIENCE = env.API_AUDIENCE || new URL('/api', APP_BASE_URL).href;
/** Access tokens are short-lived; the app refreshes them. Tests may shorten it further. */
const ACCESS_TOKEN_TTL = Number(env.IDP_ACCESS_TOKEN_TTL) || 300;

/** Clients of the same organisation as the IdP: they skip the consent screen. */
const FIRST_PARTY = new Set<string>([
  LOCAL_IDP.clientId,
  LOCAL_IDP.machineClientId,
  LOCAL_IDP.opaqueMachineClientId,
]);

/** API scopes each client may obtain for the API resource. */
const CLIENT_API_SCOPES: Record<string, readonly string[]> = {
  [LOCAL_IDP.clientId]: [API_SCOPES.read, API_SCOPES.write],
  [LOCAL_IDP.machineClientId]: [API_SCOPES.stats, API_SCOPES.metrics],
  [LOCAL_IDP.opaqueMachineClientId]: [API_SCOPES.stats],
};

/** This client's API access tokens are opaque, so the API must introspect them (RFC 7662). */
const OPAQUE_TOKEN_CLIENTS = new Set<string>([LOCAL_IDP.opaqueMachineClientId]);

/**
 * First-party consent: build (or top up) the Grant ourselves, so no consent page is shown.
 * API scopes the account may not have are *rejected* in the Grant, so the access token simply
 * lacks them (bob never gets notes:write) instead of the user being asked.
 */
async function loadExistingGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const client = oidc.client!;
  const session = oidc.session!;
  const grantId = oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  if (!FIRST_PARTY.has(client.clientId)) return existing;

  const grant =
    existing ??
    new oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
  grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
  const account = findAccountBySub(session.accountId ?? '');
  const requested = [...oidc.requestParamScopes].filter((s) =>
    CLIENT_API_SCOPES[client.clientId]?.includes(s),
  );
  const allowed = requested.filter((s) => account?.apiScopes.includes(s));
  const refused = requested.filter((s) => !allowed.includes(s));
  if (allowed.length) grant.addResourceScope(API_AUDIENCE, allowed.join(' '));
  if (refused.length) grant.rejectResourceScope(API_AUDIENCE, refused.join(' '));
  await grant.save();
  return grant;
}

export function configuration(jwks: { keys: object[] }): Configuration {
  return {
    clients: [
      {
        // The Next.js app: a confidential web client (the BFF).
        client_id: LOCAL_IDP.clientId,
        client_secret: LOCAL_IDP.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: APP_ORIGINS.map((origin) => new URL(ROUTES.callback, origin).href),
        post_logout_redirect_uris: APP_ORIGINS.map(
          (origin) => new URL(ROUTES.logoutCallback, origin).href,
        ),
        // OpenID Connect Back-Channel Logout 1.0: signing out here reaches the app's sessions
        // (store mode), with the provider session id in the logout token and the ID token.
        backchannel_logout_uri:
          env.IDP_BACKCHANNEL_LOGOUT_URL || new URL(ROUTES.backchannelLogout, APP_BASE_URL).href,
        backchannel_logout_session_required: true,
        scope: `openid profile email offline_access ${CLIENT_API_SCOPES[LOCAL_IDP.clientId]!.join(' ')}`,
      },
      {
        // A service calling the API on its own behalf: client credentials (RFC 6749 §4.4).
        client_id: LOCAL_IDP.machineClientId,
        client_secret: LOCAL_IDP.machineClientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: CLIENT_API_SCOPES[LOCAL_IDP.machineClientId]!.join(' '),
      },
      {
        // The same, but its access tokens are opaque: the API introspects them.
        client_id: LOCAL_IDP.opaqueMachineClientId,
        client_secret: LOCAL_IDP.opaqueMachineClientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: CLIENT_API_SCOPES[LOCAL_IDP.opaqueMachineClientId]!.join(' '),
      },
      {
        // The resource server itself: it only calls the introspection endpoint.
        client_id: LOCAL_IDP.resourceServerId,
        client_secret: LOCAL_IDP.resourceServerSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: [],
        response_types: [],
        redirect_uris: [],
      },
    ],
    jwks: jwks as Configuration['jwks'],
    cookies: { keys: [crypto.getRandomValues(new Uint8Array(32)).toString()] },
    // Authorization Code only: no implicit or hybrid flows (RFC 9700 §2.1.2).
    responseTypes: ['code'],
    scopes: ['openid', 'offline_access', 'profile', 'email', ...Object.values(API_SCOPES)],
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    async findAccount(_ctx, sub) {
      const account = findAccountBySub(sub);
      if (!account) return undefined;
      return { accountId: account.sub, claims: () => claimsOf(account) };
    },
    // The account's roles in its API access tokens: the API's own permission data (see accounts.ts).
    async extraTokenClaims(_ctx, token) {
      const accountId = 'accountId' in token ? token.accountId : undefined;
      const account = typeof accountId === 'string' ? findAccountBySub(accountId) : undefined;
      return account ? { roles: [...account.roles] } : undefined;
    },
    // RFC 9700 §2.1.1: PKCE for every client, confidential ones included.
    pkce: { required: () => true },
    // Issue refresh tokens to the app even without a consent-granted offline_access.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // RFC 9700 §4.14.2: rotate refresh tokens; reuse of a rotated one revokes the grant.
    rotateRefreshToken: true,
    loadExistingGrant,
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL,
      ClientCredentials: ACCESS_TOKEN_TTL,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 24 * 3600,
      Interaction: 3600,
      Session: 24 * 3600,
      Grant: 24 * 3600,
    },
    features: {
      devInteractions: { enabled: false }, // our own pages: idp/interactions.ts
      clientCredentials: { enabled: true },
      // RFC 7662: only the resource server may introspect, and only tokens meant for the API.
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) =>
          client.clientId === LOCAL_IDP.resourceServerId &&
          'aud' in token &&
          token.aud === API_AUDIENCE,
      },
      // A client may revoke only its own tokens (RFC 7009 §2.1); the app revokes at sign-out.
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = page(
            'Sign out',
            `<h1>Sign out of the local IdP?</h1><p>You are leaving <code>${escape(ctx.host)}</code>.</p>${form}
            <button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
            <button class="secondary" type="submit" form="op.logoutForm">No, stay signed in</button>`,
          );
        },
      },
      resourceIndicators: {
        enabled: true,
        // Client credentials without a `resource` parameter get a token for the API.
        defaultResource: async () => API_AUDIENCE,
        // The code and refresh grants issue the access token for the granted API, not userinfo.
        useGrantedResource: async () => true,
        async getResourceServerInfo(_ctx, resourceIndicator, client) {
          if (resourceIndicator !== API_AUDIENCE) throw new errors.InvalidTarget();
          return {
            scope: (CLIENT_API_SCOPES[client.clientId] ?? []).join(' '),
            audience: API_AUDIENCE,
            accessTokenTTL: ACCESS_TOKEN_TTL,
            // RFC 9068: a JWT access token, header typ "at+jwt".
            accessTokenFormat: OPAQUE_TOKEN_CLIENTS.has(client.clientId) ? 'opaque' : 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    // oidc-provider's outgoing requests (back-channel logout) refuse special-use addresses
    // (SSRF protection). This development IdP talks to the app on localhost, so only requests to
    // a loopback app origin go without that check.
    fetch: (url, options) => {
      const target = new URL(String(url));
      const local =
        isLoopback(target) && APP_ORIGINS.some((origin) => new URL(origin).host === target.host);
      if (!local) return globalThis.fetch(url, options);
      const rest: RequestInit & { dispatcher?: unknown } = { ...options };
      delete rest.dispatcher;
      return globalThis.fetch(url, rest);
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page(
        'Error',
        `<h1>Something went wrong</h1><p class="error">${escape(out.error)}: ${escape(out.error_description ?? '')}</p>`,
      );
    },
  };
}
