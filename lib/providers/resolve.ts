/**
 * The profile in effect: OIDC_PROVIDER's profile with every environment override applied.
 * Pure: it reads the `env` object it is given and throws ProfileError naming the variable at
 * fault; lib/config.ts turns that into a ConfigError.
 */
import {
  CLIENT_AUTH_METHODS,
  PROFILES,
  PROVIDER_NAMES,
  type AudienceRequest,
  type ClaimRule,
  type ClientAuthMethod,
  type LogoutMode,
  type ProviderName,
  type ProviderProfile,
} from './profiles.ts';

export class ProfileError extends Error {
  override name = 'ProfileError';
}

type Env = Record<string, string | undefined>;

/** Every variable that overrides a profile field, with what it sets (README, .env.example, doctor). */
export const PROFILE_VARIABLES = {
  OIDC_PROVIDER: `the profile: ${PROVIDER_NAMES.join(', ')}`,
  OIDC_AUDIENCE_REQUEST: 'how the API audience is requested: resource, audience or scope',
  OIDC_EXTRA_SCOPES: 'scopes appended to OIDC_SCOPES',
  OIDC_AUTHORIZATION_PARAMS: 'extra authorization parameters, as a query string (a=1&b=2)',
  OIDC_CLIENT_AUTH_METHOD: `client authentication: ${CLIENT_AUTH_METHODS.join(', ')}`,
  OIDC_LOGOUT: 'how sign-out reaches the provider: end_session, cognito or none',
  API_ENABLED: "whether /api can validate this provider's access tokens: true or false",
  API_TOKEN_TYP: 'accepted access-token typ values (at+jwt, jwt, absent)',
  API_TOKEN_MARKERS:
    'claims only access tokens carry: claim, claim=value or claim$=suffix, any one suffices',
  API_SCOPE_CLAIM: 'where the scopes live, first present wins (scope, scp)',
  API_CLIENT_ID_CLAIM: 'where the client id lives, first present wins (client_id, azp, cid, appid)',
  API_ROLES_CLAIM: 'dotted path of the roles or groups claim, or none',
  API_MACHINE_MARKERS:
    'claims that mark a client-credentials token: claim, claim=value or claim$=suffix',
} as const;

/** Parameters the flow sets itself: an override must never replace them. */
const RESERVED_PARAMS = new Set([
  'client_id',
  'redirect_uri',
  'response_type',
  'response_mode',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'resource',
  'audience',
  'request',
  'request_uri',
]);

function value(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function list(env: Env, name: string): string[] | undefined {
  const v = value(env, name);
  return v === undefined ? undefined : v.split(/[\s,]+/).filter(Boolean);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[]): T | undefined {
  const v = value(env, name);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v))
    throw new ProfileError(`${name} must be one of ${allowed.join(', ')}; got "${v}".`);
  return v as T;
}

/** `claim`, `claim=value` or `claim$=suffix`. */
function rules(env: Env, name: string): ClaimRule[] | undefined {
  return list(env, name)?.map((item) => {
    const suffix = /^([^=$]+)\$=(.+)$/.exec(item);
    if (suffix) return { claim: suffix[1]!, suffix: suffix[2]! };
    const [claim = '', equals] = item.split('=', 2);
    if (!claim) throw new ProfileError(`${name}: "${item}" names no claim.`);
    return equals === undefined ? { claim } : { claim, equals };
  });
}

export function resolveProfile(env: Env): ProviderProfile {
  const issuerSet = value(env, 'OIDC_ISSUER') !== undefined;
  const name =
    oneOf<ProviderName>(env, 'OIDC_PROVIDER', PROVIDER_NAMES) ?? (issuerSet ? 'generic' : 'local');
  if (name === 'local' && issuerSet) {
    throw new ProfileError(
      'OIDC_PROVIDER=local is the bundled identity provider: unset OIDC_ISSUER, or choose another profile.',
    );
  }
  if (name !== 'local' && !issuerSet) {
    throw new ProfileError(
      `OIDC_PROVIDER=${name} needs OIDC_ISSUER (and the client's OIDC_CLIENT_ID and OIDC_CLIENT_SECRET).`,
    );
  }
  const base = PROFILES[name];

  let authorizationParams = base.authorizationParams;
  const rawParams = value(env, 'OIDC_AUTHORIZATION_PARAMS');
  if (rawParams !== undefined) {
    const params = Object.fromEntries(new URLSearchParams(rawParams));
    const reserved = Object.keys(params).filter((k) => RESERVED_PARAMS.has(k));
    if (reserved.length) {
      throw new ProfileError(
        `OIDC_AUTHORIZATION_PARAMS may not set ${reserved.join(', ')}: the flow sets those itself.`,
      );
    }
    authorizationParams = params;
  }

  const apiEnabled = value(env, 'API_ENABLED');
  if (apiEnabled !== undefined && apiEnabled !== 'true' && apiEnabled !== 'false') {
    throw new ProfileError(`API_ENABLED must be true or false; got "${apiEnabled}".`);
  }
  const roles = value(env, 'API_ROLES_CLAIM');
  const typ = list(env, 'API_TOKEN_TYP')?.map((t) => t.toLowerCase().replace(/^application\//, ''));
  const accessToken = {
    typ: typ ?? base.accessToken.typ,
    markers: rules(env, 'API_TOKEN_MARKERS') ?? base.accessToken.markers,
    scopeClaims: list(env, 'API_SCOPE_CLAIM') ?? base.accessToken.scopeClaims,
    clientIdClaims: list(env, 'API_CLIENT_ID_CLAIM') ?? base.accessToken.clientIdClaims,
    rolesClaim: roles === 'none' ? undefined : (roles ?? base.accessToken.rolesClaim),
    machineMarkers: rules(env, 'API_MACHINE_MARKERS') ?? base.accessToken.machineMarkers,
  };
  if (!accessToken.typ.length) throw new ProfileError('API_TOKEN_TYP lists no value.');
  // Without `at+jwt` typing, only a marker tells an access token from an ID token of the same issuer.
  if (accessToken.typ.some((t) => t !== 'at+jwt') && !accessToken.markers.length) {
    throw new ProfileError(
      `API_TOKEN_TYP admits ${accessToken.typ.filter((t) => t !== 'at+jwt').join(', ')}, which ID tokens use too: set API_TOKEN_MARKERS to a claim only access tokens carry (for example token_use=access, or scp).`,
    );
  }

  return {
    ...base,
    accessToken,
    audienceRequest:
      oneOf<AudienceRequest>(env, 'OIDC_AUDIENCE_REQUEST', ['resource', 'audience', 'scope']) ??
      base.audienceRequest,
    extraScopes: list(env, 'OIDC_EXTRA_SCOPES') ?? base.extraScopes,
    authorizationParams,
    clientAuthMethod:
      oneOf<ClientAuthMethod>(env, 'OIDC_CLIENT_AUTH_METHOD', CLIENT_AUTH_METHODS) ??
      base.clientAuthMethod,
    logout:
      oneOf<LogoutMode>(env, 'OIDC_LOGOUT', ['end_session', 'cognito', 'none']) ?? base.logout,
    api:
      apiEnabled === 'true'
        ? { supported: true }
        : apiEnabled === 'false'
          ? {
              supported: false,
              reason: "API_ENABLED=false: /api does not accept this provider's tokens.",
            }
          : base.api,
  };
}
