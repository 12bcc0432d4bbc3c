/**
 * Provider profiles: what each identity provider's tokens look like, and how to ask it for them.
 *
 * Data only. The client (lib/client) reads how to request the API audience, extra parameters and
 * the logout mode; the resource server (lib/resource-server) reads the shape of the provider's
 * access tokens. This folder imports neither of them, and nothing but Web-standard code, so the
 * Edge guard, scripts and tests can read it too.
 *
 * OIDC_PROVIDER selects a profile; every field can then be overridden by an environment variable
 * (lib/providers/resolve.ts). docs/providers/ has a guide per provider, and each profile's token
 * shapes are tested against the provider's documented examples (test/providers/).
 */

/** How the client asks for an access token whose audience is the API. */
export type AudienceRequest =
  /** RFC 8707 `resource` on the authorization and token requests. */
  | 'resource'
  /** Auth0's non-standard `audience` authorization parameter. */
  | 'audience'
  /** Nothing is sent: the audience follows from the scopes (Entra `api://…/scope`) or the provider's own configuration (Okta, Keycloak). */
  | 'scope';

/** How sign-out reaches the provider. */
export type LogoutMode =
  /** OpenID Connect RP-Initiated Logout 1.0: the discovery document's `end_session_endpoint`. */
  | 'end_session'
  /** Amazon Cognito: `/logout?client_id=…&logout_uri=…` on the hosted-UI domain (the authorization endpoint's origin). */
  | 'cognito'
  /** The provider has no logout endpoint (Google): only the local session ends. */
  | 'none';

/**
 * A claim that marks a token: present, equal to `equals` (a string, compared case-insensitively),
 * or a string ending with `suffix`.
 */
export interface ClaimRule {
  claim: string;
  equals?: string;
  suffix?: string;
}

export interface AccessTokenShape {
  /**
   * Accepted JOSE `typ` header values, compared case-insensitively with any `application/`
   * prefix removed (RFC 7515 §4.1.9). `absent` admits a token without `typ`.
   */
  typ: readonly string[];
  /**
   * Positive access-token markers: claims an ID token never carries. A token typed `at+jwt`
   * (RFC 9068 §2.1) needs none; any other accepted `typ` must carry at least one of these.
   */
  markers: readonly ClaimRule[];
  /** Where the granted scopes live, first present wins; a space-separated string or an array. */
  scopeClaims: readonly string[];
  /** Where the client id lives, first present wins. */
  clientIdClaims: readonly string[];
  /** Dotted path of the roles or groups claim (array, space-separated string, or object whose keys are roles). */
  rolesClaim?: string;
  /** A token carrying one of these is a machine's (client credentials), whatever its `sub`. */
  machineMarkers: readonly ClaimRule[];
}

export interface ProviderProfile {
  name: ProviderName;
  label: string;
  accessToken: AccessTokenShape;
  audienceRequest: AudienceRequest;
  /** Scopes appended to OIDC_SCOPES (e.g. an audience scope). */
  extraScopes: readonly string[];
  /** Extra authorization request parameters (never the ones the flow itself sets). */
  authorizationParams: Readonly<Record<string, string>>;
  /** Replaces the default OIDC_SCOPES for this provider. */
  defaultScopes?: string;
  /** The default client authentication method at the token endpoint. */
  clientAuthMethod: ClientAuthMethod;
  logout: LogoutMode;
  /** Whether `/api` can validate this provider's access tokens at all, and if not, why. */
  api: { supported: true } | { supported: false; reason: string };
  /** The guide in docs/providers/. */
  guide: string;
}

export const CLIENT_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

export const PROVIDER_NAMES = [
  'local',
  'generic',
  'keycloak',
  'auth0',
  'okta',
  'entra',
  'cognito',
  'google',
  'zitadel',
  'authentik',
] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/**
 * RFC 9068 as written: `typ: at+jwt`, `scope`, `client_id`, and the `roles` claim of §2.2.3.1.
 * The default for any OIDC_ISSUER.
 */
const RFC_9068: AccessTokenShape = {
  typ: ['at+jwt'],
  markers: [],
  scopeClaims: ['scope'],
  clientIdClaims: ['client_id'],
  rolesClaim: 'roles',
  machineMarkers: [],
};

const STANDARD = {
  audienceRequest: 'resource',
  extraScopes: [],
  authorizationParams: {},
  clientAuthMethod: 'client_secret_basic',
  logout: 'end_session',
  api: { supported: true },
} as const satisfies Partial<ProviderProfile>;

export const PROFILES: Readonly<Record<ProviderName, ProviderProfile>> = {
  local: {
    ...STANDARD,
    name: 'local',
    label: 'The bundled local identity provider (idp/)',
    accessToken: RFC_9068,
    guide: 'README.md',
  },
  generic: {
    ...STANDARD,
    name: 'generic',
    label: 'Any OpenID provider issuing RFC 9068 access tokens',
    accessToken: RFC_9068,
    guide: 'docs/providers/README.md',
  },
  keycloak: {
    ...STANDARD,
    name: 'keycloak',
    label: 'Keycloak',
    // Header `typ: JWT` unless the client enables RFC 9068 ("Use 'at+jwt' as access token header
    // type"); the payload's own `typ` is "Bearer" in access tokens and "ID" in ID tokens.
    accessToken: {
      typ: ['at+jwt', 'jwt'],
      markers: [{ claim: 'typ', equals: 'Bearer' }],
      scopeClaims: ['scope'],
      clientIdClaims: ['client_id', 'azp'],
      rolesClaim: 'realm_access.roles',
      // Service-account (client-credentials) tokens carry `client_id`; user tokens only `azp`.
      machineMarkers: [{ claim: 'client_id' }],
    },
    // The audience comes from an audience mapper on a client scope, not from a parameter.
    audienceRequest: 'scope',
    // Keycloak issues refresh tokens without offline_access; with it, they are offline tokens
    // that outlive the Keycloak session.
    defaultScopes: 'openid profile email notes:read notes:write',
    guide: 'docs/providers/keycloak.md',
  },
  auth0: {
    ...STANDARD,
    name: 'auth0',
    label: 'Auth0',
    // `at+jwt` with the API's "RFC 9068" token profile; `JWT` with the default Auth0 profile.
    accessToken: {
      typ: ['at+jwt', 'jwt'],
      markers: [{ claim: 'scope' }, { claim: 'permissions' }],
      scopeClaims: ['scope'],
      clientIdClaims: ['client_id', 'azp'],
      rolesClaim: 'permissions',
      // Machine-to-machine tokens: `sub` is `<client id>@clients` (both profiles); the Auth0
      // profile adds `gty: client-credentials`.
      machineMarkers: [
        { claim: 'gty', equals: 'client-credentials' },
        { claim: 'sub', suffix: '@clients' },
      ],
    },
    audienceRequest: 'audience',
    guide: 'docs/providers/auth0.md',
  },
  okta: {
    ...STANDARD,
    name: 'okta',
    label: 'Okta (custom authorization server)',
    // No `typ` header; the granted scopes are the `scp` array, the client id is `cid`.
    accessToken: {
      typ: ['absent', 'jwt', 'at+jwt'],
      markers: [{ claim: 'scp' }, { claim: 'cid' }],
      scopeClaims: ['scp', 'scope'],
      clientIdClaims: ['cid', 'client_id'],
      rolesClaim: 'groups',
      machineMarkers: [],
    },
    // A custom authorization server has one audience, set on the server itself.
    audienceRequest: 'scope',
    guide: 'docs/providers/okta.md',
  },
  entra: {
    ...STANDARD,
    name: 'entra',
    label: 'Microsoft Entra ID',
    // `typ: JWT`. Delegated permissions in `scp` (a string), application permissions in `roles`.
    // `roles` is no marker: v2 ID tokens carry it too. `azpacr` (v2) / `appidacr` (v1) and `scp`
    // appear in access tokens only.
    accessToken: {
      typ: ['jwt'],
      markers: [{ claim: 'scp' }, { claim: 'azpacr' }, { claim: 'appidacr' }],
      scopeClaims: ['scp', 'roles'],
      clientIdClaims: ['azp', 'appid'],
      rolesClaim: 'roles',
      machineMarkers: [{ claim: 'idtyp', equals: 'app' }],
    },
    // Scopes such as api://<app-id>/notes:read select the API; `aud` is then its app id or URI.
    audienceRequest: 'scope',
    // Entra advertises client_secret_post and private_key_jwt; its secrets hold ~ . - _.
    clientAuthMethod: 'client_secret_post',
    guide: 'docs/providers/entra.md',
  },
  cognito: {
    ...STANDARD,
    name: 'cognito',
    label: 'Amazon Cognito user pools',
    // No `typ`; access tokens say `token_use: access` (ID tokens say `id`).
    accessToken: {
      typ: ['absent', 'jwt'],
      markers: [{ claim: 'token_use', equals: 'access' }],
      scopeClaims: ['scope'],
      clientIdClaims: ['client_id'],
      rolesClaim: 'cognito:groups',
      machineMarkers: [],
    },
    // Resource binding: the `resource` parameter names the resource server, which becomes `aud`.
    audienceRequest: 'resource',
    // Cognito issues refresh tokens without offline_access, and refuses scopes it does not know.
    defaultScopes: 'openid profile email',
    logout: 'cognito',
    guide: 'docs/providers/cognito.md',
  },
  google: {
    ...STANDARD,
    name: 'google',
    label: 'Google (sign-in only)',
    accessToken: RFC_9068,
    audienceRequest: 'scope',
    // Google refuses offline_access and unknown scopes; refresh tokens need these parameters.
    defaultScopes: 'openid profile email',
    authorizationParams: { access_type: 'offline', prompt: 'consent' },
    logout: 'none',
    api: {
      supported: false,
      reason:
        'Google issues access tokens for its own APIs only, not JWT access tokens for yours: with Google, this app signs you in, but /api cannot be called.',
    },
    guide: 'docs/providers/google.md',
  },
  zitadel: {
    ...STANDARD,
    name: 'zitadel',
    label: 'ZITADEL',
    // JWT access tokens (an app setting) carry `client_id` and `jti`, but no `scope`; ID tokens
    // carry `client_id` too, and share `aud` (the project), but never `jti`. Since the JWT holds
    // no scopes, use ZITADEL's default opaque tokens with introspection (docs/providers/README.md).
    accessToken: {
      typ: ['at+jwt', 'jwt'],
      markers: [{ claim: 'jti' }],
      scopeClaims: ['scope'],
      clientIdClaims: ['client_id'],
      rolesClaim: 'urn:zitadel:iam:org:project:roles',
      machineMarkers: [],
    },
    // The audience scope urn:zitadel:iam:org:project:id:<project id>:aud, in OIDC_EXTRA_SCOPES.
    audienceRequest: 'scope',
    guide: 'docs/providers/README.md',
  },
  authentik: {
    ...STANDARD,
    name: 'authentik',
    label: 'authentik (sign-in only)',
    // authentik's access token is the ID token's claims plus `azp` and `uid`: same `aud` (the
    // client id), same `typ: JWT`, and it carries `nonce`. Nothing tells it from an ID token.
    accessToken: {
      typ: ['jwt'],
      markers: [{ claim: 'uid' }],
      scopeClaims: ['scope'],
      clientIdClaims: ['azp', 'cid'],
      rolesClaim: 'groups',
      machineMarkers: [],
    },
    audienceRequest: 'scope',
    api: {
      supported: false,
      reason:
        "authentik's access tokens carry the client id as their audience and the ID token's claims (nonce included): /api cannot tell them from ID tokens, so it accepts none. Sign-in works.",
    },
    guide: 'docs/providers/README.md',
  },
};

/** Claims only ID tokens carry (OIDC Core §2, §3.1.3.6, §3.3.2.11): never accepted by /api. */
export const ID_TOKEN_ONLY_CLAIMS = ['nonce', 'at_hash', 'c_hash'] as const;

/** `typ` as compared: lower case, `application/` removed (RFC 7515 §4.1.9); `absent` when missing. */
export function normalizeTyp(typ: unknown): string {
  if (typ === undefined) return 'absent';
  if (typeof typ !== 'string') return 'invalid';
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

/** The value at a dotted path of a claims object (`realm_access.roles`); a full-name key wins. */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let value: unknown = claims;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part))
      return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Does the claims object satisfy one of the rules? */
export function matchesAny(claims: Record<string, unknown>, rules: readonly ClaimRule[]): boolean {
  return rules.some((rule) => {
    const value = claimAt(claims, rule.claim);
    if (value === undefined || value === null) return false;
    if (rule.suffix !== undefined) return typeof value === 'string' && value.endsWith(rule.suffix);
    // Token-type words are compared case-insensitively (Keycloak can write `bearer`).
    return (
      rule.equals === undefined ||
      (typeof value === 'string' && value.toLowerCase() === rule.equals.toLowerCase())
    );
  });
}

/**
 * A list-valued claim as strings: a space-separated string (RFC 8693 §4.2 `scope`), an array of
 * strings (Okta `scp`, `groups`), or an object whose keys are the values (ZITADEL roles).
 * Anything else is undefined: a malformed claim, to be refused, not read as empty.
 */
export function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value))
    return value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
  if (typeof value === 'object' && value !== null) return Object.keys(value);
  return undefined;
}
