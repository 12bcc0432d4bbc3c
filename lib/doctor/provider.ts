/**
 * The provider as the app will meet it: discovery (OIDC Discovery §4, RFC 8414 §3), its JWKS
 * (RFC 7517), and the metadata the app relies on (PKCE, RFC 9207, endpoints, client auth).
 */
import { createLocalJWKSet, type JSONWebKeySet, type JWK } from 'jose';
import * as oauth from 'oauth4webapi';
import {
  ASYMMETRIC_ALGORITHMS,
  isLoopback,
  type Config,
  type ResourceServerConfig,
} from '../config.ts';
import { CLIENT_AUTH_METHODS } from '../providers/profiles.ts';
import { configuredIssuer } from './configuration.ts';
import { ISSUER_TIMEOUT_MS } from '../issuer-http.ts';
import { clean, listOf, networkError, type Env, type Finding } from './finding.ts';

/** How the doctor talks to the provider: the app's own transport rules. */
export interface Transport {
  fetch: typeof fetch;
  /** oauth4webapi refuses http:// unless told; told only for a loopback issuer, as lib/client does. */
  insecure: boolean;
  oauth(): {
    signal: AbortSignal;
    [oauth.allowInsecureRequests]: boolean;
    [oauth.customFetch]?: typeof fetch;
  };
}

export function transport(issuer: URL, fetchImpl?: typeof fetch): Transport {
  const insecure = issuer.protocol === 'http:' && isLoopback(issuer);
  return {
    fetch: fetchImpl ?? fetch,
    insecure,
    oauth: () => ({
      signal: AbortSignal.timeout(ISSUER_TIMEOUT_MS),
      [oauth.allowInsecureRequests]: insecure,
      ...(fetchImpl ? { [oauth.customFetch]: fetchImpl } : {}),
    }),
  };
}

/** https, or http on this machine only (RFC 9700 §2.6, as lib/config.ts rules for the issuer). */
function transportAllowed(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url));
}

function parseUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Discovery

/**
 * OIDC Discovery §4: GET <issuer>/.well-known/openid-configuration; §4.3: the document's
 * `issuer` must be identical to the issuer the request was built from. oauth4webapi compares the
 * two as parsed URLs (so `https://op` and `https://op/` pass); the comparison here is exact, as
 * the spec writes it, and a difference oauth4webapi tolerates is a warning.
 */
export async function checkDiscovery(
  env: Env,
  config: Config,
  http: Transport,
  findings: Finding[],
): Promise<oauth.AuthorizationServer | undefined> {
  const wellKnown = new URL(config.issuer.href);
  wellKnown.pathname = `${wellKnown.pathname}/.well-known/openid-configuration`.replace(
    /\/{2,}/g,
    '/',
  );
  const started = performance.now();
  let response: Response;
  try {
    response = await oauth.discoveryRequest(config.issuer, { algorithm: 'oidc', ...http.oauth() });
  } catch (err) {
    findings.push({
      check: 'discovery',
      status: 'fail',
      detail: `${wellKnown.href} cannot be reached: ${networkError(err)}`,
      fix: config.localIdp
        ? 'Start the local identity provider: npm run dev starts it beside the app (or npm run idp alone).'
        : 'Check OIDC_ISSUER (host, port, https) and that this machine can reach the provider.',
    });
    return undefined;
  }
  const ms = Math.round(performance.now() - started);

  const document: unknown = await response
    .clone()
    .json()
    .catch(() => undefined);
  const expected = configuredIssuer(env);
  const stated =
    typeof document === 'object' && document !== null
      ? (document as Record<string, unknown>).issuer
      : undefined;

  try {
    const metadata = await oauth.processDiscoveryResponse(config.issuer, response);
    findings.push({
      check: 'discovery',
      status: 'ok',
      detail: `${wellKnown.href} answered in ${ms} ms`,
    });
    if (metadata.issuer === expected) {
      findings.push({
        check: 'issuer',
        status: 'ok',
        detail: `the metadata's issuer is exactly OIDC_ISSUER: ${expected}`,
      });
    } else {
      findings.push({
        check: 'issuer',
        status: 'warn',
        detail: `the metadata says "${clean(metadata.issuer)}", OIDC_ISSUER is "${expected}": the app accepts this (the two are the same URL once parsed), but OIDC Discovery §4.3 requires them identical, and tokens carry the metadata's form`,
        fix: `Set OIDC_ISSUER=${clean(metadata.issuer)} exactly.`,
      });
    }
    return metadata;
  } catch (err) {
    if (
      err instanceof oauth.OperationProcessingError &&
      err.code === oauth.JSON_ATTRIBUTE_COMPARISON &&
      typeof stated === 'string'
    ) {
      findings.push({
        check: 'discovery',
        status: 'ok',
        detail: `${wellKnown.href} answered in ${ms} ms`,
      });
      const slash =
        stated.replace(/\/$/, '') === expected.replace(/\/$/, '')
          ? ' They differ only by a trailing slash.'
          : '';
      findings.push({
        check: 'issuer',
        status: 'fail',
        detail: `the metadata's issuer is "${clean(stated)}" but OIDC_ISSUER is "${expected}": they must be identical (OIDC Discovery §4.3, RFC 8414 §3.3), so the app refuses this provider.${slash} The checks below read the document anyway.`,
        fix: `Set OIDC_ISSUER=${clean(stated)} (exactly, character for character), if that is the provider you meant.`,
      });
      return document as oauth.AuthorizationServer;
    }
    const detail =
      response.status !== 200
        ? `${wellKnown.href} answered HTTP ${response.status}, not the metadata`
        : `${wellKnown.href} is not valid metadata: ${clean(err instanceof Error ? err.message : String(err))}`;
    findings.push({
      check: 'discovery',
      status: 'fail',
      detail,
      fix: 'OIDC_ISSUER must be the issuer identifier itself, and the app appends /.well-known/openid-configuration (OIDC Discovery §4.1): check for a typo, a missing path (realm, tenant, /oauth2/default) or a well-known suffix that should not be there.',
    });
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Keys

/** The key type (and curves) each JWS algorithm needs (RFC 7518 §3.1, RFC 8037 §3.1). */
const KEY_TYPE: Readonly<Record<string, { kty: string; crv?: readonly string[] }>> = {
  RS256: { kty: 'RSA' },
  RS384: { kty: 'RSA' },
  RS512: { kty: 'RSA' },
  PS256: { kty: 'RSA' },
  PS384: { kty: 'RSA' },
  PS512: { kty: 'RSA' },
  ES256: { kty: 'EC', crv: ['P-256'] },
  ES384: { kty: 'EC', crv: ['P-384'] },
  ES512: { kty: 'EC', crv: ['P-521'] },
  EdDSA: { kty: 'OKP', crv: ['Ed25519', 'Ed448'] },
  Ed25519: { kty: 'OKP', crv: ['Ed25519'] },
};

const EDDSA = new Set(['EdDSA', 'Ed25519']);

/** The signing keys of the set that can verify `alg` (kty, crv, and `alg` when the key states one). */
export function keysFor(alg: string, jwks: JSONWebKeySet): JWK[] {
  const type = KEY_TYPE[alg];
  if (!type) return [];
  return jwks.keys.filter(
    (key) =>
      key.use !== 'enc' &&
      key.kty === type.kty &&
      (!type.crv || (typeof key.crv === 'string' && type.crv.includes(key.crv))) &&
      (key.alg === undefined || key.alg === alg || (EDDSA.has(alg) && EDDSA.has(key.alg))),
  );
}

/** The asymmetric algorithms the keys of the set can verify. */
function algorithmsOf(jwks: JSONWebKeySet): string[] {
  return ASYMMETRIC_ALGORITHMS.filter((alg) => keysFor(alg, jwks).length > 0);
}

function describeKey(key: JWK): string {
  const parts = [
    `kid ${key.kid === undefined ? '(none)' : clean(key.kid, 40)}`,
    clean(key.kty ?? '?', 8),
  ];
  if (key.crv) parts.push(clean(key.crv, 10));
  parts.push(key.alg ? clean(key.alg, 10) : 'no alg');
  if (key.use) parts.push(`use ${clean(key.use, 8)}`);
  return parts.join(' ');
}

async function fetchJwks(
  uri: URL,
  http: Transport,
): Promise<{ jwks: JSONWebKeySet; ms: number } | { error: string; fix: string }> {
  if (!transportAllowed(uri)) {
    return {
      error: `${uri.href} is not https`,
      fix: 'The JWKS must be served over https (http only on localhost).',
    };
  }
  const started = performance.now();
  try {
    const response = await http.fetch(uri, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(ISSUER_TIMEOUT_MS),
    });
    if (!response.ok)
      return {
        error: `${uri.href} answered HTTP ${response.status}`,
        fix: "Check the URL; the provider publishes its keys at its metadata's jwks_uri.",
      };
    const jwks = (await response.json()) as JSONWebKeySet;
    createLocalJWKSet(jwks); // RFC 7517 §5: throws on anything that is not a key set
    return { jwks, ms: Math.round(performance.now() - started) };
  } catch (err) {
    return {
      error: `${uri.href}: ${networkError(err)}`,
      fix: 'Check that this machine can reach the JWKS endpoint and that it serves a JSON Web Key Set (RFC 7517 §5).',
    };
  }
}

async function checkKeySet(
  check: string,
  uri: URL,
  http: Transport,
  findings: Finding[],
): Promise<JSONWebKeySet | undefined> {
  const result = await fetchJwks(uri, http);
  if ('error' in result) {
    findings.push({ check, status: 'fail', detail: result.error, fix: result.fix });
    return undefined;
  }
  const { jwks, ms } = result;
  const signing = jwks.keys.filter((k) => k.use !== 'enc');
  const shown = jwks.keys.slice(0, 8).map(describeKey).join('; ');
  const more = jwks.keys.length > 8 ? `; and ${jwks.keys.length - 8} more` : '';
  findings.push(
    signing.length
      ? {
          check,
          status: 'ok',
          detail: `${jwks.keys.length} key(s) at ${uri.href} in ${ms} ms: ${shown}${more}`,
        }
      : {
          check,
          status: 'fail',
          detail: `${uri.href} holds no signing key${jwks.keys.length ? ` (${shown})` : ''}`,
          fix: 'The provider must publish the public keys it signs tokens with.',
        },
  );
  return jwks;
}

export interface Keys {
  /** The issuer's keys (metadata jwks_uri). */
  jwks?: JSONWebKeySet;
  /** The keys /api verifies with: API_JWKS_URI's, or the issuer's. */
  apiJwks?: JSONWebKeySet;
  apiJwksUri?: URL;
}

export async function checkKeys(
  config: Config,
  resourceServer: ResourceServerConfig | undefined,
  metadata: oauth.AuthorizationServer,
  http: Transport,
  findings: Finding[],
): Promise<Keys> {
  const jwksUri = parseUrl(metadata.jwks_uri);
  const jwks = jwksUri ? await checkKeySet('JWKS', jwksUri, http, findings) : undefined;

  // OIDC Core §3.1.3.7 step 7: the app accepts ID tokens signed with this one algorithm only.
  const alg = config.idTokenSigningAlg;
  const supported = metadata.id_token_signing_alg_values_supported;
  const usable = supported?.filter((a) => ASYMMETRIC_ALGORITHMS.includes(a)) ?? [];
  if (Array.isArray(supported) && !supported.includes(alg)) {
    findings.push({
      check: 'ID token algorithm',
      status: 'fail',
      detail: `OIDC_ID_TOKEN_SIGNING_ALG is ${alg}, but the provider signs ID tokens with ${listOf(supported.map((a) => clean(a, 12)))} (id_token_signing_alg_values_supported)`,
      fix: usable.length
        ? `Set OIDC_ID_TOKEN_SIGNING_ALG=${usable[0]} (the provider supports ${listOf(usable)}), or configure the client at the provider to sign ID tokens with ${alg}.`
        : `Configure the provider to sign ID tokens with an asymmetric algorithm (${alg}); the app refuses symmetric and unsigned ID tokens (RFC 8725 §3.1).`,
    });
  } else if (jwks && keysFor(alg, jwks).length === 0) {
    const available = algorithmsOf(jwks);
    findings.push({
      check: 'ID token algorithm',
      status: 'fail',
      detail: `no key in the JWKS can verify ${alg} ID tokens`,
      fix: available.length
        ? `Set OIDC_ID_TOKEN_SIGNING_ALG to the algorithm the provider's keys are for (${listOf(available)}), or add a ${KEY_TYPE[alg]?.kty ?? ''} signing key at the provider.`
        : 'The provider publishes no key the app can use: configure an RSA or EC signing key there.',
    });
  } else if (!Array.isArray(supported)) {
    findings.push({
      check: 'ID token algorithm',
      status: 'warn',
      detail: `the metadata lacks id_token_signing_alg_values_supported (REQUIRED by OIDC Discovery §3); OIDC_ID_TOKEN_SIGNING_ALG is ${alg}${jwks ? ', and the JWKS has a key for it' : ''}`,
      fix: "Nothing to set if sign-in works; otherwise compare the ID token's alg header with OIDC_ID_TOKEN_SIGNING_ALG.",
    });
  } else {
    findings.push({
      check: 'ID token algorithm',
      status: 'ok',
      detail: `${alg} is advertised${jwks ? ' and the JWKS has a key for it' : ''}`,
    });
  }

  let apiJwks = jwks;
  let apiJwksUri = jwksUri;
  if (resourceServer?.jwksUri && resourceServer.jwksUri.href !== jwksUri?.href) {
    apiJwksUri = resourceServer.jwksUri;
    apiJwks = await checkKeySet('API JWKS (API_JWKS_URI)', resourceServer.jwksUri, http, findings);
  }
  if (resourceServer && apiJwks && config.provider.api.supported) {
    // RFC 8725 §3.1: /api accepts only the listed algorithms; at least one must fit a key.
    const covered = resourceServer.algorithms.filter((a) => keysFor(a, apiJwks).length > 0);
    const available = algorithmsOf(apiJwks);
    const stated = [
      ...new Set(
        apiJwks.keys
          .map((k) => k.alg)
          .filter((a): a is string => typeof a === 'string' && ASYMMETRIC_ALGORITHMS.includes(a)),
      ),
    ];
    findings.push(
      covered.length
        ? {
            check: 'API algorithms',
            status: 'ok',
            detail: `API_ALGORITHMS (${resourceServer.algorithms.join(' ')}) fits the keys with ${listOf(covered)}`,
          }
        : {
            check: 'API algorithms',
            status: 'fail',
            detail: `none of API_ALGORITHMS (${resourceServer.algorithms.join(' ')}) fits a key of the JWKS, so /api would refuse every token (alg_not_allowed or unknown_kid)`,
            fix: available.length
              ? `Set API_ALGORITHMS=${(stated.length ? stated : available.slice(0, 2)).join(' ')} (the keys support ${listOf(available)}).`
              : 'The JWKS has no key for any asymmetric algorithm /api accepts.',
          },
    );
  }
  return { jwks, apiJwks, apiJwksUri };
}

// ---------------------------------------------------------------------------------------------
// Metadata

export function checkMetadata(
  config: Config,
  resourceServer: ResourceServerConfig | undefined,
  metadata: oauth.AuthorizationServer,
  http: Transport,
  findings: Finding[],
): void {
  // RFC 7636 §4.2, RFC 8414 §2: the app always sends code_challenge_method=S256.
  const methods = metadata.code_challenge_methods_supported;
  if (Array.isArray(methods) && methods.includes('S256')) {
    findings.push({
      check: 'PKCE',
      status: 'ok',
      detail: 'S256 is advertised (code_challenge_methods_supported, RFC 7636)',
    });
  } else if (Array.isArray(methods)) {
    findings.push({
      check: 'PKCE',
      status: 'fail',
      detail: `code_challenge_methods_supported lists ${methods.length ? listOf(methods.map((m) => clean(m, 20))) : 'nothing'} but not S256; the app always sends an S256 challenge (RFC 7636 §4.2)`,
      fix: 'Enable PKCE with the S256 method for this client at the provider (RFC 9700 §2.1.1: S256, never plain).',
    });
  } else {
    findings.push({
      check: 'PKCE',
      status: 'warn',
      detail:
        'the provider does not advertise code_challenge_methods_supported (RFC 8414 §2): the app sends an S256 challenge anyway, but cannot tell whether the provider enforces it',
      fix: 'Check that the provider supports PKCE with S256, and require it for this client if it has such a setting.',
    });
  }

  // RFC 9207 §3: when advertised, the app requires and checks `iss` in the authorization response.
  findings.push(
    metadata.authorization_response_iss_parameter_supported === true
      ? {
          check: 'RFC 9207 iss',
          status: 'ok',
          detail:
            'authorization_response_iss_parameter_supported: the app checks iss on every authorization response (mix-up defense)',
        }
      : {
          check: 'RFC 9207 iss',
          status: 'warn',
          detail:
            "authorization_response_iss_parameter_supported is not advertised: the authorization response's iss cannot be checked (RFC 9207 §2.4)",
          fix: 'Enable RFC 9207 at the provider if it offers it. With this single provider configured, a mix-up attack needs a second one, so this is defense in depth.',
        },
  );

  // The endpoints the flow cannot do without (OIDC Discovery §3, RFC 8414 §2).
  const required: Array<['authorization_endpoint' | 'token_endpoint' | 'jwks_uri', string]> = [
    ['authorization_endpoint', 'sign-in cannot start'],
    ['token_endpoint', 'codes cannot be exchanged'],
    ['jwks_uri', 'no signature can be checked'],
  ];
  for (const [name, without] of required) {
    const url = parseUrl(metadata[name]);
    if (!url) {
      findings.push({
        check: name,
        status: 'fail',
        detail: `missing from the metadata: ${without}`,
        fix: 'OIDC_ISSUER must point at the OpenID provider itself (OIDC Discovery §3 makes this endpoint REQUIRED).',
      });
    } else if (!transportAllowed(url) || (url.protocol === 'http:' && !http.insecure)) {
      findings.push({
        check: name,
        status: 'fail',
        detail: `${url.href} is not https`,
        fix: 'The provider must serve its endpoints over https (http only for a localhost issuer).',
      });
    } else {
      findings.push({ check: name, status: 'ok', detail: url.href });
    }
  }

  // OpenID Connect RP-Initiated Logout 1.0 §2.1.
  const endSession = parseUrl(metadata.end_session_endpoint);
  const logout = config.provider.logout;
  if (logout === 'end_session') {
    findings.push(
      endSession
        ? {
            check: 'end_session_endpoint',
            status: 'ok',
            detail: `${endSession.href}: sign-out also ends the session at the provider`,
          }
        : {
            check: 'end_session_endpoint',
            status: 'warn',
            detail:
              "missing: sign-out stays local, the provider's session lives on, and the next sign-in may not ask for a password",
            fix: 'Enable RP-Initiated Logout at the provider, or set OIDC_LOGOUT=none to make local-only sign-out explicit.',
          },
    );
  } else {
    findings.push({
      check: 'end_session_endpoint',
      status: 'info',
      detail:
        logout === 'cognito'
          ? "not used: Cognito signs out at the hosted UI's /logout"
          : 'not used: sign-out is local only (logout mode none)',
    });
  }

  // RFC 7009: the app revokes the refresh token at sign-out.
  const revocation = parseUrl(metadata.revocation_endpoint);
  const refreshTokens = config.scopes.split(' ').includes('offline_access');
  findings.push(
    revocation
      ? {
          check: 'revocation_endpoint',
          status: 'ok',
          detail: `${revocation.href}: the refresh token is revoked at sign-out (RFC 7009)`,
        }
      : {
          check: 'revocation_endpoint',
          status: refreshTokens ? 'warn' : 'info',
          detail:
            'missing: at sign-out, the refresh token cannot be revoked and stays valid at the provider until it expires',
          fix: refreshTokens
            ? 'Nothing to set in the app; enable token revocation at the provider if it can, or keep refresh-token lifetimes short.'
            : undefined,
        },
  );

  // RFC 7662: only for opaque access tokens.
  const introspection = parseUrl(metadata.introspection_endpoint);
  const credentials = resourceServer?.introspection ? 'set' : 'not set';
  findings.push({
    check: 'introspection_endpoint',
    status: 'info',
    detail: introspection
      ? `${introspection.href}: used by /api only for opaque (non-JWT) access tokens, with API_INTROSPECTION_CLIENT_ID/SECRET (${credentials})`
      : 'not advertised: /api can accept JWT access tokens only',
  });

  // RFC 8414 §2: absent, the default is client_secret_basic.
  const method = config.clientCredentials.method;
  const authMethods = metadata.token_endpoint_auth_methods_supported;
  if (Array.isArray(authMethods)) {
    const alternatives = CLIENT_AUTH_METHODS.filter((m) => authMethods.includes(m));
    findings.push(
      authMethods.includes(method)
        ? { check: 'token endpoint auth method', status: 'ok', detail: `${method} is advertised` }
        : {
            check: 'token endpoint auth method',
            status: 'fail',
            detail: `the app authenticates with ${method}, but token_endpoint_auth_methods_supported lists ${listOf(authMethods.map((m) => clean(m, 30)))}`,
            fix: alternatives.length
              ? `Set OIDC_CLIENT_AUTH_METHOD=${alternatives[0]} (and configure the client at the provider to match).`
              : 'The provider supports none of the methods this app implements (client_secret_basic, client_secret_post, private_key_jwt).',
          },
    );
  } else {
    findings.push(
      method === 'client_secret_basic'
        ? {
            check: 'token endpoint auth method',
            status: 'ok',
            detail: 'not advertised; client_secret_basic is the default (RFC 8414 §2)',
          }
        : {
            check: 'token endpoint auth method',
            status: 'warn',
            detail: `not advertised, so only client_secret_basic is certain (RFC 8414 §2); the app uses ${method}`,
            fix: 'If the client-credentials check below says invalid_client, try OIDC_CLIENT_AUTH_METHOD=client_secret_basic.',
          },
    );
  }

  // RFC 8707 defines no metadata: the access token's `aud` is the only evidence.
  if (config.provider.audienceRequest === 'resource' && config.provider.api.supported) {
    findings.push({
      check: 'resource indicators',
      status: 'info',
      detail: `RFC 8707 defines no metadata, so the provider cannot say whether it honours resource=${config.apiAudience}: the access token's aud (below) tells`,
    });
  }
}
