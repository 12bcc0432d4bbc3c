/**
 * An access token read the way /api reads it: decoded against the provider profile's shape
 * (RFC 9068 §2 and §4, or the provider's own), claim by claim with the fix for each, then
 * verified for real by /api's own verifier (lib/resource-server). Only the header and the claims
 * are ever shown, never the token or its signature.
 */
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  type JSONWebKeySet,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';
import { DEFAULTS, type Config, type ResourceServerConfig } from '../config.ts';
import {
  claimAt,
  ID_TOKEN_ONLY_CLAIMS,
  matchesAny,
  normalizeTyp,
  stringList,
  type ClaimRule,
} from '../providers/profiles.ts';
import { createJwksCache, type JwksCache } from '../resource-server/jwks.ts';
import type { AccessTokenRejection } from '../resource-server/access-token.ts';
import { apiScopes, describeAudienceRequest } from './configuration.ts';
import { abbreviate, clean, listOf, type Finding } from './finding.ts';

/** The oldest `iat` /api accepts (lib/resource-server/access-token.ts MAX_TOKEN_AGE_S). */
const MAX_TOKEN_AGE_S = 24 * 60 * 60;

export interface TokenContext {
  config: Config;
  resourceServer: ResourceServerConfig;
  /** The issuer metadata's `issuer`, when discovery worked. */
  metadataIssuer?: string;
  /** Where /api gets its keys: API_JWKS_URI or the metadata's jwks_uri. */
  apiJwksUri?: URL;
  /** Those keys, when already fetched. */
  apiJwks?: JSONWebKeySet;
  /** Set when the caller wants no request through the global fetch: /api's cache then uses `apiJwks`. */
  customFetch: boolean;
}

/** How to get the API's identifier into `aud`, per provider (docs/providers/ has the details). */
const AUDIENCE_HINTS: Readonly<Partial<Record<string, string>>> = {
  local: `the local IdP issues tokens for ${DEFAULTS.apiAudience}; unset API_AUDIENCE.`,
  keycloak:
    'add an Audience mapper ("Included Custom Audience" = API_AUDIENCE) to a client scope assigned to the client.',
  auth0:
    'create an API whose Identifier is exactly API_AUDIENCE; the app asks for it with the audience parameter.',
  okta: "set the custom authorization server's Audience to API_AUDIENCE, and use that server's issuer (…/oauth2/<server id>).",
  entra:
    "request the API's scopes (api://<app id>/<scope>) in OIDC_SCOPES; aud is then the API's application ID URI or client id, depending on its accessTokenAcceptedVersion.",
  cognito:
    'create a resource server whose identifier is API_AUDIENCE and enable resource binding for the app client.',
  zitadel:
    'add the project audience scope (urn:zitadel:iam:org:project:id:<project id>:aud) to OIDC_EXTRA_SCOPES.',
};

/** `With OIDC_AUDIENCE_REQUEST=resource, the app sends resource=… (RFC 8707 §2)`. */
function requestMode(config: Config): string {
  const mode = config.provider.audienceRequest;
  return `With OIDC_AUDIENCE_REQUEST=${mode}, ${describeAudienceRequest(mode, config.apiAudience)}`;
}

function audienceFix(config: Config, aud: string[]): string {
  const { provider, apiAudience } = config;
  const first = aud[0];
  const setIt = first
    ? `Set API_AUDIENCE=${clean(first, 120)} if that is your API's identifier, or configure`
    : 'Configure';
  const hint =
    AUDIENCE_HINTS[provider.name] ??
    'register the API at the provider under exactly this identifier.';
  return `${setIt} the provider to issue tokens for API_AUDIENCE (${apiAudience}). ${requestMode(config)}; ${hint} Guide: ${provider.guide}.`;
}

function firstClaim(
  claims: Record<string, unknown>,
  names: readonly string[],
): { name: string; value: unknown } | undefined {
  for (const name of names) {
    const value = claimAt(claims, name);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

function describeRules(rules: readonly ClaimRule[]): string {
  return rules.map((r) => (r.equals === undefined ? r.claim : `${r.claim}=${r.equals}`)).join(', ');
}

function show(value: unknown): string {
  return clean(value, 120);
}

/** What /api's refusal means, and where to look (the reason codes of lib/resource-server/access-token.ts). */
const REASON_FIXES: Readonly<Partial<Record<AccessTokenRejection, string>>> = {
  wrong_audience: 'See "access token aud" above.',
  wrong_typ: 'See "access token typ" above.',
  wrong_issuer: 'See "access token iss" above.',
  missing_access_token_marker: 'See "access token marker" above.',
  id_token_presented:
    'This is an ID token: send the access_token of the token response, never the id_token.',
  expired: 'The token has expired: get a fresh one (a session refreshes its own).',
  too_old: `The token was issued more than ${MAX_TOKEN_AGE_S / 3600} hours ago: get a fresh one.`,
  issued_in_future:
    'Its iat is in the future: check the clocks of this machine and the provider (API_CLOCK_TOLERANCE).',
  not_yet_valid: 'Its nbf is in the future: check the clocks (API_CLOCK_TOLERANCE).',
  bad_signature:
    "The signature does not verify with the issuer's keys: the token was altered, or another issuer signed it.",
  unknown_kid:
    'Its kid is in none of the keys /api uses: another issuer or tenant signed it, or API_JWKS_URI points at other keys.',
  ambiguous_key:
    'The token has no kid and several keys fit: the provider should put a kid in the header.',
  alg_not_allowed: "Add the token's alg to API_ALGORITHMS (asymmetric algorithms only).",
  missing_client_id: 'See "access token client id" above (API_CLIENT_ID_CLAIM).',
  invalid_client_id: 'See "access token client id" above (API_CLIENT_ID_CLAIM).',
  invalid_scope: 'See "access token scope" above (API_SCOPE_CLAIM).',
  invalid_roles: 'See "access token roles" above (API_ROLES_CLAIM, or none).',
  missing_sub: 'RFC 9068 §2.2 requires sub: the provider must include it.',
  missing_exp: 'RFC 9068 §2.2 requires exp: the provider must include it.',
  missing_iat: 'RFC 9068 §2.2 requires iat: the provider must include it.',
  invalid_sub: 'sub must be a non-empty string.',
  malformed: 'The token is not a well-formed JWS (RFC 7515 §7.1).',
  encrypted_token_unsupported:
    'Configure the provider to sign, not encrypt, access tokens for the API.',
  sender_constrained_token:
    'The token is bound to a key (cnf: DPoP or mutual TLS); /api reads Bearer tokens only. Turn off sender-constrained tokens for this client at the provider.',
  opaque_not_supported:
    'Set API_INTROSPECTION_CLIENT_ID/SECRET, or have the provider issue JWT access tokens (RFC 9068).',
};

/** The verifier /api uses, loaded when this runtime can load it. */
type VerifierModule = typeof import('../resource-server/access-token.ts');

async function loadVerifier(): Promise<VerifierModule | string> {
  try {
    return await import('../resource-server/access-token.ts');
  } catch (err) {
    return clean(err instanceof Error ? err.message : String(err));
  }
}

export async function checkAccessToken(
  ctx: TokenContext,
  rawToken: string,
  source: string,
): Promise<Finding[]> {
  const { config, resourceServer } = ctx;
  const shape = resourceServer.tokenShape;
  const findings: Finding[] = [];
  const token = rawToken.trim().replace(/^Bearer\s+/i, '');
  const segments = token.split('.').length;

  // RFC 7516 §7.1: five segments is a JWE; /api holds no decryption key.
  if (segments === 5) {
    findings.push({
      check: 'access token',
      status: 'fail',
      detail: `${source} is an encrypted JWT (JWE, ${token.length} characters): /api cannot read it (encrypted_token_unsupported)`,
      fix: REASON_FIXES.encrypted_token_unsupported,
    });
    return findings;
  }
  // RFC 7515 §7.1: anything but three segments is opaque to /api; only the issuer can read it (RFC 7662).
  if (segments !== 3) {
    findings.push({
      check: 'access token',
      status: 'info',
      detail: `${source} is opaque (not a JWT; ${abbreviate(token, 4)}): /api needs introspection credentials API_INTROSPECTION_CLIENT_ID/SECRET (${resourceServer.introspection ? 'set' : 'not set'}) and the provider's introspection_endpoint (RFC 7662)`,
      fix: resourceServer.introspection
        ? undefined
        : 'Set API_INTROSPECTION_CLIENT_ID and API_INTROSPECTION_CLIENT_SECRET to credentials the provider admits at its introspection endpoint, or have it issue JWT access tokens for API_AUDIENCE (RFC 9068).',
    });
    return findings;
  }

  let header: ProtectedHeaderParameters;
  let claims: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    claims = decodeJwt(token);
  } catch (err) {
    findings.push({
      check: 'access token',
      status: 'fail',
      detail: `${source} has three segments but does not decode: ${clean(err instanceof Error ? err.message : String(err))}`,
      fix: 'Paste the access token exactly as issued (three base64url segments separated by dots).',
    });
    return findings;
  }
  findings.push({
    check: 'access token',
    status: 'info',
    detail: `${source}: a JWT of ${token.length} characters; header alg ${show(header.alg ?? '(none)')}, kid ${show(header.kid ?? '(none)')}, typ ${show(header.typ ?? '(none)')}`,
  });

  // RFC 9068 §2.1, §4; RFC 8725 §3.11: explicit typing, as the profile admits it.
  const typ = normalizeTyp(header.typ);
  const profileName = config.provider.name;
  if (shape.typ.includes(typ)) {
    findings.push({
      check: 'access token typ',
      status: 'ok',
      detail: `${header.typ === undefined ? 'no typ' : `typ ${show(header.typ)}`}: accepted by the ${profileName} profile (${shape.typ.join(', ')})`,
    });
  } else {
    const generic = profileName === 'generic' || profileName === 'local';
    findings.push({
      check: 'access token typ',
      status: 'fail',
      detail: `${header.typ === undefined ? 'no typ header' : `typ ${show(header.typ)}`}, but the ${profileName} profile accepts only ${shape.typ.join(', ')} (wrong_typ; RFC 9068 §4)`,
      fix: generic
        ? 'If the provider is one with a profile (keycloak, auth0, okta, entra, cognito, zitadel), set OIDC_PROVIDER to it. Otherwise enable RFC 9068 (at+jwt) access tokens at the provider, or set API_TOKEN_TYP to admit this typ together with API_TOKEN_MARKERS (a claim only its access tokens carry).'
        : `Set API_TOKEN_TYP to admit it (with API_TOKEN_MARKERS), or check that this is an access token of this provider. Guide: ${config.provider.guide}.`,
    });
  }

  // RFC 8725 §3.1: an allowlist of asymmetric algorithms, and the key must be the issuer's.
  const alg = typeof header.alg === 'string' ? header.alg : '(none)';
  const kidKnown =
    ctx.apiJwks && header.kid !== undefined
      ? ctx.apiJwks.keys.some((k) => k.kid === header.kid)
      : undefined;
  if (!resourceServer.algorithms.includes(alg)) {
    findings.push({
      check: 'access token alg',
      status: 'fail',
      detail: `alg ${show(alg)} is not in API_ALGORITHMS (${resourceServer.algorithms.join(' ')}) (alg_not_allowed)`,
      fix: ['none', 'HS256', 'HS384', 'HS512'].includes(alg)
        ? 'The provider must sign access tokens with an asymmetric key (RFC 8725 §3.1): /api never accepts none or HS*.'
        : `Add ${show(alg)} to API_ALGORITHMS.`,
    });
  } else if (kidKnown === false) {
    findings.push({
      check: 'access token alg',
      status: 'fail',
      detail: `alg ${alg} is allowed, but kid ${show(header.kid)} is not in the keys /api uses (unknown_kid)`,
      fix: REASON_FIXES.unknown_kid,
    });
  } else {
    findings.push({
      check: 'access token alg',
      status: 'ok',
      detail: `alg ${alg} is in API_ALGORITHMS${kidKnown ? `, and kid ${show(header.kid)} is in the JWKS` : ''}`,
    });
  }

  // RFC 9068 §4: `iss` must exactly match the issuer.
  const expectedIssuer = resourceServer.tokenIssuer ?? ctx.metadataIssuer;
  if (expectedIssuer === undefined) {
    findings.push({
      check: 'access token iss',
      status: 'info',
      detail: `iss ${show(claims.iss)}; without discovery, the expected issuer is unknown`,
    });
  } else if (claims.iss === expectedIssuer) {
    findings.push({
      check: 'access token iss',
      status: 'ok',
      detail: `iss ${show(claims.iss)}${resourceServer.tokenIssuer ? ' (API_ISSUER)' : ''}`,
    });
  } else {
    findings.push({
      check: 'access token iss',
      status: 'fail',
      detail: `iss is ${claims.iss === undefined ? 'missing' : `"${show(claims.iss)}"`}, /api expects "${expectedIssuer}"${resourceServer.tokenIssuer ? ' (API_ISSUER)' : " (the metadata's issuer)"} (wrong_issuer)`,
      fix:
        typeof claims.iss === 'string'
          ? `If the provider's access tokens name a different issuer than its metadata (Entra v1 tokens: https://sts.windows.net/<tenant>/), set API_ISSUER=${show(claims.iss)}; otherwise this token comes from another issuer, tenant or realm.`
          : 'RFC 9068 §2.2 requires iss: the provider must include it.',
    });
  }

  // RFC 9068 §4: `aud` must contain the API's identifier. THE check behind /api's wrong_audience.
  const aud = [claims.aud].flat().filter((a): a is string => typeof a === 'string');
  if (aud.includes(resourceServer.audience)) {
    findings.push({
      check: 'access token aud',
      status: 'ok',
      detail: `aud ${show(claims.aud)} contains API_AUDIENCE (${resourceServer.audience})`,
    });
  } else {
    const clientIdAud = aud.includes(config.clientId);
    findings.push({
      check: 'access token aud',
      status: 'fail',
      detail:
        (aud.length ? `the token's aud is ${show(claims.aud)}` : 'the token has no aud') +
        `, but API_AUDIENCE is ${resourceServer.audience}: /api answers wrong_audience` +
        (clientIdAud
          ? `. Its aud is OIDC_CLIENT_ID (${config.clientId}): this is probably an ID token (OIDC Core §2), or the provider puts the client id in its access tokens' aud`
          : ''),
      fix: clientIdAud
        ? `Make sure the access_token, not the id_token, is sent; then configure the provider to issue access tokens for API_AUDIENCE (${resourceServer.audience}). ${requestMode(config)}; ${AUDIENCE_HINTS[config.provider.name] ?? 'register the API at the provider under exactly this identifier.'} Guide: ${config.provider.guide}.`
        : audienceFix(config, aud),
    });
  }

  // Where the profile says the scopes are (RFC 9068 §2.2.3: `scope`, a space-separated string).
  const scope = firstClaim(claims, shape.scopeClaims);
  if (!scope) {
    findings.push({
      check: 'access token scope',
      status: 'warn',
      detail: `no scope claim (looked for ${shape.scopeClaims.join(', ')}): every /api route that needs a scope answers 403 insufficient_scope`,
      fix: `Request the API scopes (OIDC_SCOPES) and grant them to the client at the provider, or set API_SCOPE_CLAIM to where this provider puts them.`,
    });
  } else {
    const values =
      scope.name === 'scope' && typeof scope.value !== 'string'
        ? undefined
        : stringList(scope.value);
    if (!values || (typeof scope.value === 'object' && !Array.isArray(scope.value))) {
      findings.push({
        check: 'access token scope',
        status: 'fail',
        detail: `${scope.name} is ${show(scope.value)}: not a space-separated string or an array of strings (invalid_scope)`,
        fix: 'Set API_SCOPE_CLAIM to the claim that holds the granted scopes.',
      });
    } else {
      const missing = apiScopes(config).filter((s) => !values.includes(s));
      findings.push({
        check: 'access token scope',
        status: 'ok',
        detail: `${scope.name}: "${show(values.join(' '))}"${missing.length ? ` (the app requests ${listOf(missing)} too: routes that need ${missing.length > 1 ? 'them' : 'it'} answer 403 insufficient_scope)` : ''}`,
      });
    }
  }

  // RFC 9068 §2.2: the client the token was issued to.
  const clientId = firstClaim(claims, shape.clientIdClaims);
  if (!clientId || typeof clientId.value !== 'string' || !clientId.value) {
    findings.push({
      check: 'access token client id',
      status: 'fail',
      detail: clientId
        ? `${clientId.name} is ${show(clientId.value)}, not a string (invalid_client_id)`
        : `no client id claim (looked for ${shape.clientIdClaims.join(', ')}) (missing_client_id)`,
      fix: 'Set API_CLIENT_ID_CLAIM to the claim where this provider puts the client id (client_id, azp, cid, appid).',
    });
  } else {
    findings.push({
      check: 'access token client id',
      status: 'ok',
      detail: `${clientId.name}: ${show(clientId.value)}`,
    });
  }

  // RFC 9068 §2.1: `at+jwt` tells an access token from an ID token; any other typ needs a marker.
  if (typ === 'at+jwt') {
    findings.push({
      check: 'access token marker',
      status: 'ok',
      detail: 'typed at+jwt: no marker needed (RFC 9068 §2.1)',
    });
  } else if (matchesAny(claims, shape.markers)) {
    const present = shape.markers.filter((r) => matchesAny(claims, [r]));
    findings.push({
      check: 'access token marker',
      status: 'ok',
      detail: `not typed at+jwt; carries the access-token marker ${describeRules(present)}`,
    });
  } else {
    findings.push({
      check: 'access token marker',
      status: 'fail',
      detail: `not typed at+jwt, and carries none of the profile's access-token markers (${describeRules(shape.markers) || 'none configured'}) (missing_access_token_marker)`,
      fix: 'Check that this is an access token, not an ID token; if the provider marks its access tokens otherwise, set API_TOKEN_MARKERS to a claim only they carry.',
    });
  }

  // OIDC Core §2, §3.1.3.6, §3.3.2.11: claims only ID tokens carry.
  const idClaims = ID_TOKEN_ONLY_CLAIMS.filter((name) => claims[name] !== undefined);
  findings.push(
    idClaims.length
      ? {
          check: 'ID-token claims',
          status: 'fail',
          detail: `carries ${listOf(idClaims)}, which only ID tokens carry: /api refuses it (id_token_presented)`,
          fix: REASON_FIXES.id_token_presented,
        }
      : {
          check: 'ID-token claims',
          status: 'ok',
          detail: `none of ${ID_TOKEN_ONLY_CLAIMS.join(', ')}`,
        },
  );

  // RFC 9068 §2.2: `sub` is the user, or the client itself for client credentials.
  if (typeof claims.sub !== 'string' || !claims.sub) {
    findings.push({
      check: 'access token sub',
      status: 'fail',
      detail:
        claims.sub === undefined
          ? 'no sub (missing_sub; RFC 9068 §2.2)'
          : `sub is ${show(claims.sub)}, not a string (invalid_sub)`,
      fix: REASON_FIXES.missing_sub,
    });
  } else {
    const machine =
      (clientId && claims.sub === clientId.value) || matchesAny(claims, shape.machineMarkers);
    findings.push({
      check: 'access token sub',
      status: 'ok',
      detail: `sub ${show(claims.sub)}: a ${machine ? 'machine (client-credentials)' : 'user'} token`,
    });
  }

  // The roles claim, for /api's own permissions (API_WRITER_ROLE).
  if (shape.rolesClaim) {
    const value = claimAt(claims, shape.rolesClaim);
    const roles = value === undefined ? [] : stringList(value);
    if (!roles) {
      findings.push({
        check: 'access token roles',
        status: 'fail',
        detail: `${shape.rolesClaim} is ${show(value)}: not roles /api can read (invalid_roles)`,
        fix: 'Set API_ROLES_CLAIM to the dotted path of the roles or groups claim, or to none.',
      });
    } else {
      const writer = resourceServer.writerRole;
      const holds =
        writer && roles.includes(writer)
          ? ` (holds ${writer}: may write notes)`
          : writer
            ? ` (not ${writer}: may not write notes unless listed in API_WRITERS)`
            : '';
      findings.push({
        check: 'access token roles',
        status: 'info',
        detail:
          value === undefined
            ? `no ${shape.rolesClaim} claim${holds}`
            : `${shape.rolesClaim}: ${show(roles.join(' ')) || '(empty)'}${holds}`,
      });
    }
  }

  // RFC 7519 §4.1.4, §4.1.6, as /api checks them (clock tolerance, maximum age).
  const now = Math.floor(Date.now() / 1000);
  const tolerance = resourceServer.clockToleranceS;
  const { exp, iat } = claims;
  if (typeof exp !== 'number' || typeof iat !== 'number') {
    findings.push({
      check: 'access token lifetime',
      status: 'fail',
      detail: `${typeof exp !== 'number' ? 'no numeric exp' : ''}${typeof exp !== 'number' && typeof iat !== 'number' ? ' and ' : ''}${typeof iat !== 'number' ? 'no numeric iat' : ''} (RFC 9068 §2.2 requires both)`,
      fix: 'The provider must include exp and iat in access tokens.',
    });
  } else if (exp <= now - tolerance) {
    findings.push({
      check: 'access token lifetime',
      status: 'fail',
      detail: `expired ${now - exp} s ago (expired)`,
      fix: REASON_FIXES.expired,
    });
  } else if (iat > now + tolerance) {
    findings.push({
      check: 'access token lifetime',
      status: 'fail',
      detail: `issued ${iat - now} s in the future (issued_in_future)`,
      fix: REASON_FIXES.issued_in_future,
    });
  } else if (now - iat > MAX_TOKEN_AGE_S) {
    findings.push({
      check: 'access token lifetime',
      status: 'fail',
      detail: `issued ${Math.round((now - iat) / 3600)} hours ago (too_old)`,
      fix: REASON_FIXES.too_old,
    });
  } else {
    findings.push({
      check: 'access token lifetime',
      status: 'ok',
      detail: `expires in ${exp - now} s (lifetime ${exp - iat} s)`,
    });
  }

  findings.push(await verify(ctx, token, expectedIssuer));
  return findings;
}

/** The real thing: /api's verifier, with /api's settings, on this token. */
async function verify(
  ctx: TokenContext,
  token: string,
  issuer: string | undefined,
): Promise<Finding> {
  const check = 'verified as /api does';
  const { resourceServer } = ctx;
  if (!issuer || !ctx.apiJwksUri) {
    return {
      check,
      status: 'info',
      detail: 'skipped: without the issuer metadata, /api itself could not start',
    };
  }
  const verifier = await loadVerifier();
  if (typeof verifier === 'string') {
    return {
      check,
      status: 'info',
      detail: `skipped: /api's verifier cannot be loaded in this runtime (${verifier}). The checks above cover the same ground; the /setup page runs it.`,
    };
  }
  const keys = ctx.apiJwks;
  const jwks: JwksCache =
    ctx.customFetch && keys
      ? { getKey: createLocalJWKSet(keys), fetches: 0 }
      : createJwksCache(ctx.apiJwksUri, { timeoutMs: 8_000 });
  const verifyToken = verifier.createAccessTokenVerifier({
    issuer,
    audience: resourceServer.audience,
    algorithms: resourceServer.algorithms,
    clockToleranceS: resourceServer.clockToleranceS,
    jwks,
    shape: resourceServer.tokenShape,
    scopeName: verifier.scopeNamer(resourceServer.scopePrefix, resourceServer.scopeMap),
  });
  try {
    const accepted = await verifyToken(token);
    return {
      check,
      status: 'ok',
      detail: `accepted by /api: sub ${show(accepted.sub)}, client ${show(accepted.client_id)}, a ${accepted.kind} token with scopes "${show([...accepted.scopes].join(' '))}"`,
    };
  } catch (err) {
    if (err instanceof verifier.InvalidTokenError) {
      return {
        check,
        status: 'fail',
        detail: `refused by /api: ${err.reason} (the client sees 401 invalid_token)`,
        fix: REASON_FIXES[err.reason] ?? 'See the findings above.',
      };
    }
    return {
      check,
      status: 'fail',
      detail: `/api could not verify it: ${clean(err instanceof Error ? `${err.name}: ${err.message}` : String(err))}`,
      fix: 'The JWKS must be reachable from the API (a 503 temporarily_unavailable otherwise).',
    };
  }
}
