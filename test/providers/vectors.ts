/**
 * Token shapes as the providers document them, for the tests in ./token-shapes/ (a data module,
 * not a test file). Each shape names its sources.
 *
 * Two kinds of entry:
 * - VECTOR: header and claims copied verbatim from the cited page (an example token).
 * - BUILT: no example token is published; the shape is put together claim by claim from the
 *   cited documentation or source code, with the provider's own claim names and value forms.
 *   Values a source does not give (ids, names) are placeholders in the provider's format.
 * UNCONFIRMED marks a fact the cited sources do not establish.
 *
 * The tests replace only `iss` (the test issuer), `aud` (the test API audience, keeping the
 * array form), and `iat`/`exp`/`nbf` (fresh), and sign with a real RS256 key published under the
 * documented `kid` (or the test issuer's own key where the documentation shows none).
 */
import { API_SCOPES, DEFAULTS, LOCAL_IDP } from '@/lib/config';

export type Members = Record<string, unknown>;

export interface TokenShape {
  /** Where the shape comes from. */
  source: readonly string[];
  /** The JOSE header as documented; without `kid`, the test issuer's key id is used. */
  header: Members;
  claims: Members;
}

// ---------------------------------------------------------------------------------------------
// Standards (the `local` and `generic` profiles).

/** VECTOR. RFC 9068 §3, Figure 2: "a JWT access token in the form shown below". Note `at+JWT`. */
export const RFC9068_ACCESS: TokenShape = {
  source: ['https://www.rfc-editor.org/rfc/rfc9068#section-3'],
  header: { typ: 'at+JWT', alg: 'RS256', kid: 'RjEwOwOA' },
  claims: {
    iss: 'https://authorization-server.example.com/',
    sub: '5ba552d67',
    aud: 'https://rs.example.com/',
    exp: 1639528912,
    iat: 1618354090,
    jti: 'dbe39bf3a3ba4238a513f51d6e1691c4',
    client_id: 's6BhdRkqt3',
    scope: 'openid profile reademail',
  },
};

/**
 * VECTOR. OpenID Connect Core 1.0 §2, the non-normative ID token example; the header is the one
 * of the Appendix A examples (`{"kid":"1e9gdk7","alg":"RS256"}`: no `typ`).
 */
export const OIDC_CORE_ID_TOKEN: TokenShape = {
  source: [
    'https://openid.net/specs/openid-connect-core-1_0.html#IDToken',
    'https://openid.net/specs/openid-connect-core-1_0.html#ExampleRSAKey',
  ],
  header: { kid: '1e9gdk7', alg: 'RS256' },
  claims: {
    iss: 'https://server.example.com',
    sub: '24400320',
    aud: 's6BhdRkqt3',
    nonce: 'n-0S6_WzA2Mj',
    exp: 1311281970,
    iat: 1311280970,
    auth_time: 1311280969,
    acr: 'urn:mace:incommon:iap:silver',
  },
};

/**
 * BUILT. The bundled IdP (idp/configuration.ts: oidc-provider 9, resourceIndicators with
 * `accessTokenFormat: 'jwt'`). node_modules/oidc-provider/lib/models/formats/jwt.js signs
 * `{ jti, sub, iat, exp, scope, client_id, iss, aud }` plus extraTokenClaims (our `roles`) with
 * header `typ: at+jwt`; `sub` is the client id when no user is involved.
 */
export const LOCAL_ACCESS: TokenShape = {
  source: [
    'idp/configuration.ts',
    'node_modules/oidc-provider/lib/models/formats/jwt.js',
    'https://www.rfc-editor.org/rfc/rfc9068#section-2.2',
  ],
  header: { alg: 'RS256', typ: 'at+jwt' },
  claims: {
    roles: [DEFAULTS.writerRole],
    jti: 'mH4u1uCQqWkGm5wVJdL3r9Yc2Zx8TbAp0nEsKfRi7Do',
    sub: 'alice',
    iat: 0,
    exp: 0,
    scope: `${API_SCOPES.read} ${API_SCOPES.write}`,
    client_id: LOCAL_IDP.clientId,
    iss: LOCAL_IDP.issuer,
    aud: DEFAULTS.apiAudience,
  },
};

/** BUILT. The bundled IdP's client-credentials token: same format, `sub` = the client id (jwt.js `sub: sub || clientId`). */
export const LOCAL_MACHINE_ACCESS: TokenShape = {
  source: LOCAL_ACCESS.source,
  header: LOCAL_ACCESS.header,
  claims: {
    jti: 'Qx7dN2pLk9VbR3sT5wYz1aCe4fGh6jKm8nPq0rSt2uV',
    sub: LOCAL_IDP.machineClientId,
    iat: 0,
    exp: 0,
    scope: API_SCOPES.read,
    client_id: LOCAL_IDP.machineClientId,
    iss: LOCAL_IDP.issuer,
    aud: DEFAULTS.apiAudience,
  },
};

/**
 * BUILT. The bundled IdP's ID token: oidc-provider's helpers/jwt.js `sign` sets `typ: options.typ`,
 * undefined for ID tokens, so the header carries no `typ`; `aud` is the client, `nonce`/`at_hash`.
 */
export const LOCAL_ID_TOKEN: TokenShape = {
  source: [
    'node_modules/oidc-provider/lib/helpers/jwt.js',
    'node_modules/oidc-provider/lib/models/id_token.js',
    'https://openid.net/specs/openid-connect-core-1_0.html#IDToken',
  ],
  header: { alg: 'RS256' },
  claims: {
    sub: 'alice',
    auth_time: 0,
    nonce: 'a8Yq2ZkV3wXn5bRt',
    at_hash: 'Zr0j0sZ2cD4mP6gFvB1xTQ',
    aud: LOCAL_IDP.clientId,
    exp: 0,
    iat: 0,
    iss: LOCAL_IDP.issuer,
  },
};

// ---------------------------------------------------------------------------------------------
// Keycloak (25+). No example token is published: built from the server source.

const KEYCLOAK_SOURCE = [
  'https://github.com/keycloak/keycloak/blob/main/services/src/main/java/org/keycloak/protocol/oidc/TokenManager.java',
  'https://github.com/keycloak/keycloak/blob/main/services/src/main/java/org/keycloak/jose/jws/DefaultTokenManager.java',
  'https://github.com/keycloak/keycloak/blob/main/docs/documentation/server_admin/topics/clients/oidc/con-audience.adoc',
  'https://github.com/keycloak/keycloak/blob/main/docs/documentation/upgrading/topics/changes/changes-25_0_0.adoc',
];

/**
 * BUILT. TokenManager.initToken: payload `typ` "Bearer", `azp` = the client, `scope` string,
 * `sid`; `realm_access.roles` / `resource_access`; `sub` and `auth_time` from the `basic` scope
 * (25+). `aud` only through an audience mapper (con-audience.adoc); the default Audience Resolve
 * mapper adds `account`. Header `typ: JWT` (DefaultTokenManager, RFC 9068 switch off).
 */
export const KEYCLOAK_ACCESS: TokenShape = {
  source: KEYCLOAK_SOURCE,
  header: { alg: 'RS256', typ: 'JWT' },
  claims: {
    exp: 0,
    iat: 0,
    auth_time: 1735689590,
    jti: '3f9d7c2a-6b1e-4f0a-9c8d-5e4b3a2f1e0d',
    iss: 'https://keycloak.example.com/realms/demo',
    aud: ['notes-api', 'account'],
    sub: '8f1c2b4e-5d6a-4b7c-9e8f-0a1b2c3d4e5f',
    typ: 'Bearer',
    azp: 'notes-app',
    sid: 'b7a1c3d5-e7f9-4a1b-8c2d-3e4f5a6b7c8d',
    acr: '1',
    'allowed-origins': ['https://app.example.com'],
    realm_access: {
      roles: ['default-roles-demo', 'offline_access', 'uma_authorization', 'notes-writer'],
    },
    resource_access: {
      account: { roles: ['manage-account', 'manage-account-links', 'view-profile'] },
    },
    scope: 'openid profile email',
    email_verified: true,
    name: 'Alice Liddell',
    preferred_username: 'alice',
    given_name: 'Alice',
    family_name: 'Liddell',
    email: 'alice@example.com',
  },
};

/**
 * BUILT. A service-account (client credentials) token: the "Client ID" mapper writes `client_id`
 * (ServiceAccountConstants.CLIENT_ID = "client_id", keycloak/keycloak#16359; since 26.1 in the
 * `service_account` client scope, UNCONFIRMED), with `clientHost`/`clientAddress`; `azp` is the
 * client. UNCONFIRMED (not in the cited sources): `sub` is the id of the client's service-account
 * user, not the client id, and `preferred_username` is `service-account-<clientId>`.
 */
export const KEYCLOAK_SERVICE_ACCOUNT_ACCESS: TokenShape = {
  source: [...KEYCLOAK_SOURCE, 'https://github.com/keycloak/keycloak/pull/16359'],
  header: { alg: 'RS256', typ: 'JWT' },
  claims: {
    exp: 0,
    iat: 0,
    jti: '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
    iss: 'https://keycloak.example.com/realms/demo',
    aud: 'notes-api',
    sub: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
    typ: 'Bearer',
    azp: 'notes-worker',
    acr: '1',
    realm_access: { roles: ['default-roles-demo'] },
    scope: 'profile email',
    clientHost: '10.0.0.7',
    preferred_username: 'service-account-notes-worker',
    clientAddress: '10.0.0.7',
    client_id: 'notes-worker',
  },
};

/**
 * BUILT. TokenManager.generateIDToken: payload `typ` "ID", `aud` = the client, `azp`, `nonce`,
 * `sid`, `at_hash`; header `typ: JWT` (DefaultTokenManager `default: return "JWT"`).
 */
export const KEYCLOAK_ID_TOKEN: TokenShape = {
  source: KEYCLOAK_SOURCE,
  header: { alg: 'RS256', typ: 'JWT' },
  claims: {
    exp: 0,
    iat: 0,
    auth_time: 1735689590,
    jti: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
    iss: 'https://keycloak.example.com/realms/demo',
    aud: 'notes-app',
    sub: '8f1c2b4e-5d6a-4b7c-9e8f-0a1b2c3d4e5f',
    typ: 'ID',
    azp: 'notes-app',
    nonce: 'kR3v9Qm2Xw7Lp4Zt',
    sid: 'b7a1c3d5-e7f9-4a1b-8c2d-3e4f5a6b7c8d',
    at_hash: 'u8Jd3kPq0Wm5Xn2Rb7Yc4A',
    acr: '1',
    email_verified: true,
    name: 'Alice Liddell',
    preferred_username: 'alice',
    given_name: 'Alice',
    family_name: 'Liddell',
    email: 'alice@example.com',
  },
};

// ---------------------------------------------------------------------------------------------
// Auth0. https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles

const AUTH0_PROFILES = 'https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles';

/** VECTOR. "Auth0 profile sample token"; header `typ: JWT` (same page, Header table). */
export const AUTH0_ACCESS: TokenShape = {
  source: [AUTH0_PROFILES],
  header: { alg: 'RS256', typ: 'JWT' },
  claims: {
    iss: 'https://my-domain.auth0.com/',
    sub: 'auth0|123456',
    aud: ['https://example.com/health-api', 'https://my-domain.auth0.com/userinfo'],
    azp: 'my_client_id',
    exp: 1311281970,
    iat: 1311280970,
    scope: 'openid profile read:patients read:admin',
    my_custom_claim: 'my_custom_value',
  },
};

/** VECTOR. "RFC 9068 profile sample token"; header `typ: at+jwt` (same page, Header table). */
export const AUTH0_RFC9068_ACCESS: TokenShape = {
  source: [AUTH0_PROFILES],
  header: { alg: 'RS256', typ: 'at+jwt' },
  claims: {
    iss: 'https://my-domain.auth0.com/',
    sub: 'auth0|123456',
    aud: ['https://example.com/health-api', 'https://my-domain.auth0.com/userinfo'],
    client_id: 'my_client_id',
    exp: 1311281970,
    iat: 1311280970,
    jti: '73WakrfVbNJBaAmhQtEeDv',
    scope: 'openid profile read:patients read:admin',
    my_custom_claim: 'my_custom_value',
  },
};

/** VECTOR (claim). The `permissions` sample of the Claims table (dialects access_token_authz / rfc9068_profile_authz). */
export const AUTH0_PERMISSIONS = ['create:bar', 'create:foo', 'read:bar', 'read:foo'];

/** VECTOR (claim). The Claims table's `sub` sample for "Machine-to-Machine apps using Client Credentials". */
export const AUTH0_M2M_SUB = 'awZfdIir8YFdGZWkvCejDoUb7SjTDicx@clients';
export const AUTH0_M2M_CLIENT = 'awZfdIir8YFdGZWkvCejDoUb7SjTDicx';

/**
 * BUILT. A client-credentials token in the Auth0 profile: `sub` "<client id>@clients", `azp`, and
 * `gty: client-credentials`. UNCONFIRMED: the Claims table says `gty` is "Only present for
 * `password` and `refresh_token`", yet every published M2M token carries `gty: client-credentials`.
 */
export const AUTH0_M2M_ACCESS: TokenShape = {
  source: [
    AUTH0_PROFILES,
    'https://auth0.com/docs/get-started/authentication-and-authorization-flow/client-credentials-flow',
  ],
  header: { alg: 'RS256', typ: 'JWT' },
  claims: {
    iss: 'https://my-domain.auth0.com/',
    sub: AUTH0_M2M_SUB,
    aud: 'https://example.com/health-api',
    iat: 0,
    exp: 0,
    scope: 'read:patients',
    gty: 'client-credentials',
    azp: AUTH0_M2M_CLIENT,
  },
};

/**
 * BUILT. A client-credentials token in the RFC 9068 profile: `client_id`, `jti`, `sub`
 * "<client id>@clients" (the Claims table lists `sub` for both profiles), and no `gty` ("The RFC
 * 9068 profile does not use the `gty` claim").
 */
export const AUTH0_RFC9068_M2M_ACCESS: TokenShape = {
  source: [AUTH0_PROFILES],
  header: { alg: 'RS256', typ: 'at+jwt' },
  claims: {
    iss: 'https://my-domain.auth0.com/',
    sub: AUTH0_M2M_SUB,
    aud: 'https://example.com/health-api',
    client_id: AUTH0_M2M_CLIENT,
    exp: 0,
    iat: 0,
    jti: 'aBv9njtYfwL4xfPZyEwz9m',
    scope: 'read:patients',
  },
};

/**
 * VECTOR. ID token from "Sample use cases: scopes and claims". The header `typ: JWT` is
 * UNCONFIRMED (the sample shows the payload only).
 */
export const AUTH0_ID_TOKEN: TokenShape = {
  source: [
    'https://auth0.com/docs/get-started/apis/scopes/sample-use-cases-scopes-and-claims',
    'https://auth0.com/docs/secure/tokens/id-tokens/id-token-structure',
  ],
  header: { alg: 'RS256', typ: 'JWT' },
  claims: {
    name: 'John Doe',
    nickname: 'john.doe',
    picture: 'https://myawesomeavatar.com/avatar.png',
    updated_at: '2017-03-30T15:13:40.474Z',
    email: 'john.doe@test.com',
    email_verified: false,
    iss: 'https://{yourDomain}/',
    sub: 'auth0|USER-ID',
    aud: '{yourClientId}',
    exp: 1490922820,
    iat: 1490886820,
    nonce: 'crypto-value',
    at_hash: 'IoS3ZGppJKUn3Bta_LgE2A',
  },
};

// ---------------------------------------------------------------------------------------------
// Okta (custom authorization server). The OIDC & OAuth 2.0 API reference, as it stood before
// okta/okta-developer-docs commit 982a3bc1c1 removed it (packages/@okta/vuepress-site/docs/
// reference/api/oidc/index.md).

const OKTA_REFERENCE = 'https://developer.okta.com/docs/reference/api/oidc/';

/** VECTOR. Access token header ("The header only includes the following reserved claims": alg, kid) and payload. */
export const OKTA_ACCESS: TokenShape = {
  source: [OKTA_REFERENCE],
  header: { alg: 'RS256', kid: '45js03w0djwedsw' },
  claims: {
    ver: 1,
    jti: 'AT.0mP4JKAZX1iACIT4vbEDF7LpvDVjxypPMf0D7uX39RE',
    iss: 'https://{yourOktaDomain}/oauth2/{authorizationServerId}',
    aud: 'https://api.example.com',
    sub: '00ujmkLgagxeRrAg20g3',
    iat: 1467145094,
    exp: 1467148694,
    cid: 'nmdP1fcyvdVO11AL7ECm',
    uid: '00ujmkLgagxeRrAg20g3',
    scp: ['openid', 'email', 'flights', 'custom'],
    auth_time: 1467142021,
    custom_claim: 'CustomValue',
  },
};

/**
 * BUILT. A client-credentials token: the reserved claims without a user (`uid`, `auth_time`), and
 * `sub` = the client id. UNCONFIRMED: `sub` == `cid` for client credentials is not in the reference.
 */
export const OKTA_CLIENT_CREDENTIALS_ACCESS: TokenShape = {
  source: [
    OKTA_REFERENCE,
    'https://developer.okta.com/docs/guides/implement-grant-type/clientcreds/main/',
  ],
  header: { alg: 'RS256', kid: '45js03w0djwedsw' },
  claims: {
    ver: 1,
    jti: 'AT.x5B3L8fWm2Qz7Rk9Vp4Ny1Tc6Hs0Jd3Gu8Ea2Fo5Ki',
    iss: 'https://{yourOktaDomain}/oauth2/{authorizationServerId}',
    aud: 'https://api.example.com',
    iat: 0,
    exp: 0,
    cid: '0oa5rxkq3wT9dC8zh1d7',
    scp: ['custom'],
    sub: '0oa5rxkq3wT9dC8zh1d7',
  },
};

/** VECTOR. ID token payload from the same reference (org-AS issuer form); header alg + kid, no `typ`. */
export const OKTA_ID_TOKEN: TokenShape = {
  source: [OKTA_REFERENCE],
  header: { alg: 'RS256', kid: '45js03w0djwedsw' },
  claims: {
    ver: 1,
    sub: '00uid4BxXw6I6TV4m0g3',
    iss: 'https://{yourOktaDomain}',
    aud: 'uAaunofWkaDJxukCFeBx',
    iat: 1449624026,
    exp: 1449627626,
    amr: ['pwd'],
    jti: 'ID.4eAWJOCMB3SX8XewDfVR',
    auth_time: 1449624026,
    at_hash: 'cpqKfdQA5eH891Ff5oJr_Q',
    name: 'John Doe',
    nickname: 'Jimmy',
    preferred_username: 'john.doe@example.com',
    given_name: 'John',
    middle_name: 'James',
    family_name: 'Doe',
    profile: 'https://example.com/john.doe',
    zoneinfo: 'America/Los_Angeles',
    locale: 'en-US',
    updated_at: 1311280970,
    email: 'john.doe@example.com',
    email_verified: true,
    address: {
      street_address: '123 Hollywood Blvd.',
      locality: 'Los Angeles',
      region: 'CA',
      postal_code: '90210',
      country: 'US',
    },
    phone_number: '+1 (425) 555-1212',
  },
};

// ---------------------------------------------------------------------------------------------
// Microsoft Entra ID. https://learn.microsoft.com/entra/identity-platform/access-tokens

const ENTRA_ACCESS_TOKENS = 'https://learn.microsoft.com/entra/identity-platform/access-tokens';
const ENTRA_ACCESS_CLAIMS =
  'https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference';

/** VECTOR. "v1.0 access token" sample (keys rotated by Microsoft, so its own signature no longer verifies). */
export const ENTRA_V1_ACCESS: TokenShape = {
  source: [ENTRA_ACCESS_TOKENS, ENTRA_ACCESS_CLAIMS],
  header: {
    typ: 'JWT',
    alg: 'RS256',
    x5t: 'i6lGk3FZzxRcUb2C3nEQ7syHJlY',
    kid: 'i6lGk3FZzxRcUb2C3nEQ7syHJlY',
  },
  claims: {
    aud: 'ef1da9d4-ff77-4c3e-a005-840c3f830745',
    iss: 'https://sts.windows.net/fa15d692-e9c7-4460-a743-29f29522229/',
    iat: 1537233106,
    nbf: 1537233106,
    exp: 1537237006,
    acr: '1',
    aio: 'AXQAi/8IAAAAFm+E/QTG+gFnVxLjWdw8K+61AGrSOuMMF6ebaMj7XO3IbmD3fGmrOyD+NvZyGn2VaT/kDKXw4MIhrgGVq6Bn8wLXoT1LkIZ+FzQVkJPPLQOV4KcXqSlCVPDS/DiCDgE222TImMvWNaEMaUOTsIGvTQ==',
    amr: ['wia'],
    appid: '75dbe77f-10a3-4e59-85fd-8c127544f17c',
    appidacr: '0',
    email: 'AbeLi@microsoft.com',
    family_name: 'Lincoln',
    given_name: 'Abe (MSFT)',
    idp: 'https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd0122247/',
    ipaddr: '222.222.222.22',
    name: 'abeli',
    oid: '02223b6b-aa1d-42d4-9ec0-1b2bb9194438',
    rh: 'I',
    scp: 'user_impersonation',
    sub: 'l3_roISQU222bULS9yi2k0XpqpOiMz5H3ZACo1GeXA',
    tid: 'fa15d692-e9c7-4460-a743-29f2956fd429',
    unique_name: 'abeli@microsoft.com',
    uti: 'FVsGxYXI30-TuikuuUoFAA',
    ver: '1.0',
  },
};

/** VECTOR. "v2.0 access token" sample (here `azp` == `aud`: the client called itself). */
export const ENTRA_V2_ACCESS: TokenShape = {
  source: [ENTRA_ACCESS_TOKENS, ENTRA_ACCESS_CLAIMS],
  header: { typ: 'JWT', alg: 'RS256', kid: 'i6lGk3FZzxRcUb2C3nEQ7syHJlY' },
  claims: {
    aud: '6e74172b-be56-4843-9ff4-e66a39bb12e3',
    iss: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0',
    iat: 1537231048,
    nbf: 1537231048,
    exp: 1537234948,
    aio: 'AXQAi/8IAAAAtAaZLo3ChMif6KOnttRB7eBq4/DccQzjcJGxPYy/C3jDaNGxXd6wNIIVGRghNRnwJ1lOcAnNZcjvkoyrFxCttv33140RioOFJ4bCCGVuoCag1uOTT22222gHwLPYQ/uf79QX+0KIijdrmp69RctzmQ==',
    azp: '6e74172b-be56-4843-9ff4-e66a39bb12e3',
    azpacr: '0',
    name: 'Abe Lincoln',
    oid: '690222be-ff1a-4d56-abd1-7e4f7d38e474',
    preferred_username: 'abeli@microsoft.com',
    rh: 'I',
    scp: 'access_as_user',
    sub: 'HKZpfaHyWadeOouYlitjrI-KffTm222X5rrV3xDqfKQ',
    tid: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    uti: 'fqiBqXLPj0eQa82S-IYFAA',
    ver: '2.0',
  },
};

/**
 * BUILT. A v2.0 app-only token (client credentials): no `scp`; application permissions in `roles`
 * ("The client credential flow uses this set of permission in place of user scopes"); `azp`,
 * `azpacr` "1" (secret); `sub` == `oid` (the service principal). `idtyp: app` is the optional
 * claim of the optional-claims reference (not in the access-token claims reference).
 */
export const ENTRA_V2_APP_ONLY_ACCESS: TokenShape = {
  source: [
    ENTRA_ACCESS_CLAIMS,
    'https://learn.microsoft.com/entra/identity-platform/optional-claims-reference',
  ],
  header: { typ: 'JWT', alg: 'RS256', kid: 'i6lGk3FZzxRcUb2C3nEQ7syHJlY' },
  claims: {
    aud: '6e74172b-be56-4843-9ff4-e66a39bb12e3',
    iss: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0',
    iat: 0,
    nbf: 0,
    exp: 0,
    aio: 'E2ZgYJjc9/3zR1+Rx2V2iKkq0iYYAA==',
    azp: 'c2a54a1e-3b5d-4d2f-9e1c-6f7a8b9c0d1e',
    azpacr: '1',
    idtyp: 'app',
    oid: '4f3e2d1c-0b9a-4876-a543-210fedcba987',
    rh: 'I',
    roles: ['Notes.Read.All'],
    sub: '4f3e2d1c-0b9a-4876-a543-210fedcba987',
    tid: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    uti: 'kPq3R7sT1Uu5VvWw9XxYyA',
    ver: '2.0',
  },
};

/**
 * VECTOR. The sample v2.0 ID token of the ID token page (read through a verbatim copy; the page
 * itself was not re-read: UNCONFIRMED that it is unchanged). Header `typ` "always JWT" (ID token
 * claims reference). `roles` ("The set of roles that were assigned to the user", in the table
 * that applies to v1.0 and v2.0) is added by the tests where they model a user holding a role.
 */
export const ENTRA_V2_ID_TOKEN: TokenShape = {
  source: [
    'https://learn.microsoft.com/entra/identity-platform/id-tokens',
    'https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference',
  ],
  header: { typ: 'JWT', alg: 'RS256', kid: '1LTMzakihiRla_8z2BEJVXeWMqo' },
  claims: {
    ver: '2.0',
    iss: 'https://login.microsoftonline.com/9122040d-6c67-4c5b-b112-36a304b66dad/v2.0',
    sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
    aud: '6cb04018-a3f5-46a7-b995-940c78f5aef3',
    exp: 1536361411,
    iat: 1536274711,
    nbf: 1536274711,
    name: 'Abe Lincoln',
    preferred_username: 'AbeLi@microsoft.com',
    oid: '00000000-0000-0000-66f3-3332eca7ea81',
    tid: '9122040d-6c67-4c5b-b112-36a304b66dad',
    nonce: '123523',
    aio: 'Df2UVXL1ix!lMCWMSOJBcFatzcGfvFGhjKv8q5g0x732dR5MB5BisvGQO7YWByjd8iQDLq!eGbIDakyp5mnOrcdqHeYSnltepQmRp6AIZ8jY',
  },
};

// ---------------------------------------------------------------------------------------------
// Amazon Cognito user pools.

const COGNITO_ACCESS_PAGE =
  'https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html';
const COGNITO_ID_PAGE =
  'https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html';

/** VECTOR. Access token header (`kid`, `alg` only) and default payload, current page (with the resource-binding `aud`). */
export const COGNITO_ACCESS: TokenShape = {
  source: [COGNITO_ACCESS_PAGE],
  header: { kid: '1234example=', alg: 'RS256' },
  claims: {
    sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    device_key: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    'cognito:groups': ['testgroup'],
    iss: 'https://cognito-idp.us-west-2.amazonaws.com/us-west-2_example',
    version: 2,
    client_id: 'xxxxxxxxxxxxexample',
    aud: 'https://api.example.com',
    origin_jti: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    event_id: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    token_use: 'access',
    scope: 'phone openid profile resourceserver.1/appclient2 email',
    auth_time: 1676313851,
    exp: 1676317451,
    iat: 1676313851,
    jti: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    username: 'my-test-user',
  },
};

/**
 * BUILT. A client-credentials (M2M) token: no user claims, `sub` == `client_id`, custom scopes
 * only. UNCONFIRMED in AWS's pages: the shape is from a published decoded token
 * (https://zenn.dev/noid11/articles/d36dccd74601ed83d83b: "sub と client_id が同じになる");
 * whether resource binding (`aud`) applies to client credentials is UNCONFIRMED too.
 */
export const COGNITO_CLIENT_CREDENTIALS_ACCESS: TokenShape = {
  source: [
    COGNITO_ACCESS_PAGE,
    'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html',
    'https://zenn.dev/noid11/articles/d36dccd74601ed83d83b',
  ],
  header: { kid: '1234example=', alg: 'RS256' },
  claims: {
    sub: 'xxxxxxxxxxxxexample',
    token_use: 'access',
    scope: 'resourceserver.1/appclient2',
    auth_time: 1676313851,
    iss: 'https://cognito-idp.us-west-2.amazonaws.com/us-west-2_example',
    exp: 0,
    iat: 0,
    version: 2,
    jti: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    client_id: 'xxxxxxxxxxxxexample',
    aud: 'https://api.example.com',
  },
};

/**
 * VECTOR. ID token default payload. The header has the same structure as the access token's, but
 * "Amazon Cognito signs access tokens with a different key from the key that signs ID tokens": a
 * second key id here (its value is a placeholder).
 */
export const COGNITO_ID_TOKEN: TokenShape = {
  source: [COGNITO_ID_PAGE, COGNITO_ACCESS_PAGE],
  header: { kid: 'abcdefghijklmnopqrsexample=', alg: 'RS256' },
  claims: {
    sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    'cognito:groups': ['test-group-a', 'test-group-b', 'test-group-c'],
    email_verified: true,
    'cognito:preferred_role': 'arn:aws:iam::111122223333:role/my-test-role',
    iss: 'https://cognito-idp.us-west-2.amazonaws.com/us-west-2_example',
    'cognito:username': 'my-test-user',
    middle_name: 'Jane',
    nonce: 'abcdefg',
    origin_jti: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    'cognito:roles': ['arn:aws:iam::111122223333:role/my-test-role'],
    aud: 'xxxxxxxxxxxxexample',
    identities: [
      {
        userId: 'amzn1.account.EXAMPLE',
        providerName: 'LoginWithAmazon',
        providerType: 'LoginWithAmazon',
        issuer: null,
        primary: 'true',
        dateCreated: '1642699117273',
      },
    ],
    event_id: '64f513be-32db-42b0-b78e-b02127b4f463',
    token_use: 'id',
    auth_time: 1676312777,
    exp: 1676316377,
    iat: 1676312777,
    jti: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    email: 'my-test-user@example.com',
  },
};

// ---------------------------------------------------------------------------------------------
// Google.

/**
 * VECTOR. An access token as Google returns it: opaque, `ya29.…`
 * (https://github.com/google/google-api-php-client/issues/263). That Google documents its access
 * tokens as opaque is UNCONFIRMED.
 */
export const GOOGLE_ACCESS_TOKEN =
  'ya29.PgB0miRDMD3H-iAAAAD88eQLK9N84muCYYR4TEhwffsj5yNJBXMt34Sd6B815Q';

/**
 * VECTOR. Google's documented ID token example (via https://qiita.com/masaha03/items/927abc3c6b93911fb703;
 * the developers.google.com original was not available). The header (`typ: JWT`) is UNCONFIRMED.
 */
export const GOOGLE_ID_TOKEN: TokenShape = {
  source: [
    'https://developers.google.com/identity/openid-connect/openid-connect#an-id-tokens-payload',
    'https://developers.google.com/identity/openid-connect/reference',
    'https://qiita.com/masaha03/items/927abc3c6b93911fb703',
  ],
  header: { alg: 'RS256', typ: 'JWT' },
  claims: {
    iss: 'accounts.google.com',
    at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q',
    email_verified: 'true',
    sub: '10769150350006150715113082367',
    azp: '1234987819200.apps.googleusercontent.com',
    email: 'jsmith@example.com',
    aud: '1234987819200.apps.googleusercontent.com',
    iat: 1353601026,
    exp: 1353604926,
    nonce: '0394852-3190485-2490358',
    hd: 'example.com',
  },
};

// ---------------------------------------------------------------------------------------------
// ZITADEL. No example token is published: built from the source.

const ZITADEL_SOURCE = [
  'https://github.com/zitadel/oidc/blob/main/pkg/oidc/token.go',
  'https://github.com/zitadel/zitadel/blob/main/internal/api/oidc/token.go',
  'https://zitadel.com/docs/apis/openidoauth/claims',
  'https://zitadel.com/docs/apis/openidoauth/scopes',
];
const ZITADEL_CLIENT = '259254409320529922@notes';
const ZITADEL_PROJECT = '259254020261085186';

/**
 * BUILT. createJWT → oidc.NewAccessTokenClaims: `iss`, `sub`, `aud` (the client ids and the
 * project), `exp`, `iat`, `nbf`, `client_id`, `jti`; no `scope`, `azp`, `nonce`, `auth_time`.
 * Header `typ: JWT` (zitadel/oidc SignerFromKey `WithType("JWT")`; the server's own signer is
 * UNCONFIRMED). Roles: an object role → {orgId: domain} (internal/api/oidc userinfo.go
 * setUserInfoRoleClaims appends the projectRoles map; claims.md's table wraps it in an array,
 * which the server does not emit).
 */
export const ZITADEL_ACCESS: TokenShape = {
  source: [
    ...ZITADEL_SOURCE,
    'https://github.com/zitadel/zitadel/blob/main/internal/api/oidc/userinfo.go',
  ],
  header: { alg: 'RS256', typ: 'JWT' },
  claims: {
    iss: 'https://acme.zitadel.cloud',
    sub: '259242039378444290',
    aud: [ZITADEL_CLIENT, ZITADEL_PROJECT],
    exp: 0,
    iat: 0,
    nbf: 0,
    client_id: ZITADEL_CLIENT,
    jti: 'V2_259255137472675842-at_259255137472741378',
    'urn:zitadel:iam:org:project:roles': {
      'notes-writer': { '259242039378379778': 'acme.zitadel.cloud' },
    },
  },
};

/**
 * BUILT. oidc.NewIDTokenClaims: `aud` = AppendClientIDToAudience (client + project), `nonce`,
 * `auth_time`, `amr`, `azp` and `client_id` (both the client); the server adds `sid` and
 * `at_hash`. claims.md: `jti` "No" in ID tokens.
 */
export const ZITADEL_ID_TOKEN: TokenShape = {
  source: ZITADEL_SOURCE,
  header: { alg: 'RS256', typ: 'JWT' },
  claims: {
    iss: 'https://acme.zitadel.cloud',
    sub: '259242039378444290',
    aud: [ZITADEL_CLIENT, ZITADEL_PROJECT],
    exp: 0,
    iat: 0,
    auth_time: 1735689590,
    amr: ['pwd'],
    azp: ZITADEL_CLIENT,
    client_id: ZITADEL_CLIENT,
    nonce: 'T3x9vQ2mLk7Rp4Wz',
    at_hash: 'hF2kP8mQx3Lr5Tz1Vb7NcA',
    sid: 'V1_259255137371946114',
    name: 'Alice Liddell',
    preferred_username: 'alice@acme.zitadel.cloud',
  },
};
export const ZITADEL = { client: ZITADEL_CLIENT, project: ZITADEL_PROJECT };

// ---------------------------------------------------------------------------------------------
// authentik. No example token is published: built from authentik/providers/oauth2.

const AUTHENTIK_SOURCE = [
  'https://github.com/goauthentik/authentik/blob/main/authentik/providers/oauth2/id_token.py',
  'https://github.com/goauthentik/authentik/blob/main/authentik/providers/oauth2/models.py',
  'https://github.com/goauthentik/authentik/blob/main/authentik/providers/oauth2/views/token.py',
];
const AUTHENTIK_CLIENT = 'bJ8pV2mRx7LqT4zW9nKc3YsF6hD1gA5e';

/** BUILT. The ID token's claims (see below). `groups` from the default profile mapping is UNCONFIRMED. */
const AUTHENTIK_ID_CLAIMS: Members = {
  iss: 'https://authentik.example.com/application/o/notes/',
  sub: '8e5c1f0a9b7d3e2c4a6f8b0d1e3c5a7f9b2d4e6f8a0c2e4a6b8d0f1e3a5c7b9d',
  aud: AUTHENTIK_CLIENT,
  exp: 0,
  iat: 0,
  auth_time: 1735689590,
  acr: 'goauthentik.io/providers/oauth2/default',
  amr: ['pwd'],
  nonce: 'Lq8Zt2Xv5Rk9Wm3P',
  sid: 'f3b1c9a7e5d3b1f9c7a5e3d1b9f7c5a3e1d9b7f5c3a1e9d7b5f3c1a9e7d5b3f1',
  email: 'alice@example.com',
  email_verified: true,
  name: 'Alice Liddell',
  given_name: 'Alice Liddell',
  preferred_username: 'alice',
  nickname: 'alice',
  groups: ['notes-writer'],
};

/**
 * BUILT. IDToken.to_access_token: the ID token's claims plus `azp` (the client id) and `uid`
 * (random); `aud` is the client id, as in the ID token; `nonce` is set before the access token is
 * derived (views/token.py). No `scope`. Header `typ: JWT` (PyJWT's default: UNCONFIRMED here).
 */
export const AUTHENTIK_ACCESS: TokenShape = {
  source: AUTHENTIK_SOURCE,
  header: { alg: 'RS256', typ: 'JWT' },
  claims: {
    ...AUTHENTIK_ID_CLAIMS,
    azp: AUTHENTIK_CLIENT,
    uid: 'Vw7nQ2kX9pLr4Tz8Ym3Bc6Hd1Jf5Gs0A',
  },
};

/** BUILT. IDToken.to_jwt: the same claims, without `azp` and `uid`. */
export const AUTHENTIK_ID_TOKEN: TokenShape = {
  source: AUTHENTIK_SOURCE,
  header: { alg: 'RS256', typ: 'JWT' },
  claims: AUTHENTIK_ID_CLAIMS,
};
export const AUTHENTIK = { client: AUTHENTIK_CLIENT };

/** Every shape, so the test issuer can publish a key under each documented `kid` before any fetch. */
export const ALL_SHAPES: readonly TokenShape[] = [
  RFC9068_ACCESS,
  OIDC_CORE_ID_TOKEN,
  LOCAL_ACCESS,
  LOCAL_MACHINE_ACCESS,
  LOCAL_ID_TOKEN,
  KEYCLOAK_ACCESS,
  KEYCLOAK_SERVICE_ACCOUNT_ACCESS,
  KEYCLOAK_ID_TOKEN,
  AUTH0_ACCESS,
  AUTH0_RFC9068_ACCESS,
  AUTH0_M2M_ACCESS,
  AUTH0_RFC9068_M2M_ACCESS,
  AUTH0_ID_TOKEN,
  OKTA_ACCESS,
  OKTA_CLIENT_CREDENTIALS_ACCESS,
  OKTA_ID_TOKEN,
  ENTRA_V1_ACCESS,
  ENTRA_V2_ACCESS,
  ENTRA_V2_APP_ONLY_ACCESS,
  ENTRA_V2_ID_TOKEN,
  COGNITO_ACCESS,
  COGNITO_CLIENT_CREDENTIALS_ACCESS,
  COGNITO_ID_TOKEN,
  GOOGLE_ID_TOKEN,
  ZITADEL_ACCESS,
  ZITADEL_ID_TOKEN,
  AUTHENTIK_ACCESS,
  AUTHENTIK_ID_TOKEN,
];
