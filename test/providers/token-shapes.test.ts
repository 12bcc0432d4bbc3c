/**
 * Token shapes per provider profile (lib/providers/profiles.ts): for each profile, the access
 * token and the ID token its provider documents (header and claims, ./vectors.ts), signed with
 * real RS256 keys by a real issuer on node:http (../resource-server/issuer.ts: discovery + JWKS),
 * and verified by the resource server's own verifier (createAccessTokenVerifier with the
 * profile's shape from resolveProfile, and a real JWKS cache). Nothing is mocked.
 *
 * The access token must be accepted and read as the profile says (client id, subject, scopes,
 * roles, user or machine); the ID token must be refused, with the exact reason code, also when
 * it carries the API's audience (providers whose ID and access tokens share `aud`).
 *
 * Each describe and it names the documentation it rests on; UNCONFIRMED marks a fact the
 * sources do not establish. Only `iss`, `aud`, `iat`, `exp` and `nbf` of a documented token are
 * replaced; a documented `kid` is kept (the issuer publishes a key under it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_SCOPES, DEFAULTS, LOCAL_IDP } from '@/lib/config';
import type { ProviderName, ProviderProfile } from '@/lib/providers/profiles';
import { resolveProfile } from '@/lib/providers/resolve';
import { createAccessTokenVerifier, InvalidTokenError, type AccessToken } from '@/lib/resource-server/access-token';
import { createJwksCache } from '@/lib/resource-server/jwks';
import { API_AUDIENCE, b64json, CLOCK_TOLERANCE_S, newKeyPair, nowS, signSegments, startIssuer, type Issuer, type KeyPair } from '../resource-server/issuer';
import * as V from './vectors';

// ---------------------------------------------------------------------------------------------
// Harness.

let issuer: Issuer;
let jwksUri: URL;
/** Keys published under the documented `kid`s (Okta, Cognito, Entra, RFC 9068, OIDC Core). */
const documentedKeys = new Map<string, KeyPair>();

beforeAll(async () => {
  issuer = await startIssuer();
  // Publish every documented kid before the first JWKS fetch (the cache's refetch cooldown would
  // otherwise refuse a kid added later).
  for (const shape of V.ALL_SHAPES) {
    const kid = shape.header.kid;
    if (typeof kid === 'string' && !documentedKeys.has(kid)) {
      const pair = await newKeyPair('RS256', kid);
      documentedKeys.set(kid, pair);
      issuer.jwks.push(pair.jwk);
    }
  }
  // The verifier finds the keys as the app does: through the issuer's discovery document.
  const response = await fetch(`${issuer.issuer}/.well-known/openid-configuration`);
  const metadata = (await response.json()) as { issuer: string; jwks_uri: string };
  expect(metadata.issuer).toBe(issuer.issuer);
  jwksUri = new URL(metadata.jwks_uri);
});

afterAll(async () => {
  await issuer.close();
});

type Verify = (token: string) => Promise<AccessToken>;

/** The effective profile (OIDC_PROVIDER=name, against the test issuer) and a verifier built from it. */
function profileAndVerifier(name: ProviderName): { profile: ProviderProfile; verify: Verify } {
  const profile = resolveProfile(name === 'local' ? { OIDC_PROVIDER: 'local' } : { OIDC_PROVIDER: name, OIDC_ISSUER: issuer.issuer });
  const verify = createAccessTokenVerifier({
    issuer: issuer.issuer,
    audience: API_AUDIENCE,
    algorithms: ['RS256'],
    clockToleranceS: CLOCK_TOLERANCE_S,
    jwks: createJwksCache(jwksUri),
    shape: profile.accessToken,
  });
  return { profile, verify };
}

const verifierFor = (name: ProviderName): Verify => profileAndVerifier(name).verify;

/** Members merged onto others; a member set to `undefined` removes it. */
function merge(base: V.Members, overrides: V.Members): V.Members {
  return Object.fromEntries(Object.entries({ ...base, ...overrides }).filter(([, v]) => v !== undefined));
}

interface Build {
  /** The token's `aud` (the documented one replaced); `undefined` for none. */
  aud: unknown;
  /** Further claim changes (a variant of the documented shape); `undefined` removes a claim. */
  claims?: V.Members;
  header?: V.Members;
}

/**
 * The documented token with `iss` = the test issuer, `aud` as given, `iat`/`exp` (and `nbf` when
 * documented) fresh, signed RS256 under its documented kid, or the issuer's own key.
 */
async function build(shape: V.TokenShape, { aud, claims = {}, header = {} }: Build): Promise<string> {
  const now = nowS();
  const fresh: V.Members = { iss: issuer.issuer, aud, iat: now, exp: now + 300 };
  if ('nbf' in shape.claims) fresh.nbf = now;
  const payload = merge(merge(shape.claims, fresh), claims);
  const protectedHeader = merge(shape.header, header);
  let key = issuer.keys.rs.privateKey;
  if (typeof protectedHeader.kid === 'string') {
    const documented = documentedKeys.get(protectedHeader.kid);
    if (!documented) throw new Error(`no key published under kid ${protectedHeader.kid}`);
    key = documented.privateKey;
  } else {
    // The provider signs with a key id; its documentation just does not show one.
    protectedHeader.kid = issuer.keys.rs.kid;
  }
  return signSegments(b64json(protectedHeader), b64json(payload), key);
}

interface Expected {
  sub: string;
  client_id: string;
  scopes: readonly string[];
  roles: readonly string[];
  kind: AccessToken['kind'];
}

/** verify() resolves, and reads the token as expected. */
async function expectAccepted(verify: Verify, token: string, expected: Expected): Promise<void> {
  const accepted = await verify(token);
  expect({
    sub: accepted.sub,
    client_id: accepted.client_id,
    scopes: [...accepted.scopes].sort(),
    roles: [...accepted.roles].sort(),
    kind: accepted.kind,
    format: accepted.format,
  }).toEqual({ ...expected, scopes: [...expected.scopes].sort(), roles: [...expected.roles].sort(), format: 'jwt' });
}

/** verify() rejects with an InvalidTokenError; returns its reason code. */
async function refusal(verify: Verify, token: string): Promise<string> {
  const error: unknown = await verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the token was accepted').toBeInstanceOf(InvalidTokenError);
  return (error as InvalidTokenError).reason;
}

// ---------------------------------------------------------------------------------------------
// local: the bundled IdP (oidc-provider, RFC 9068 JWT access tokens).

describe('local: the bundled IdP (idp/configuration.ts; RFC 9068 https://www.rfc-editor.org/rfc/rfc9068)', () => {
  // idp/configuration.ts + node_modules/oidc-provider/lib/models/formats/jwt.js: typ at+jwt,
  // client_id, scope, our extraTokenClaims `roles`.
  it('accepts its user access token (typ at+jwt, client_id, scope, roles)', async () => {
    const token = await build(V.LOCAL_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('local'), token, {
      sub: 'alice',
      client_id: LOCAL_IDP.clientId,
      scopes: [API_SCOPES.read, API_SCOPES.write],
      roles: [DEFAULTS.writerRole],
      kind: 'user',
    });
  });

  // RFC 9068 §2.2: without a resource owner, `sub` is the client (jwt.js: `sub: sub || clientId`).
  it('accepts its client-credentials access token as a machine token (sub == client_id)', async () => {
    const token = await build(V.LOCAL_MACHINE_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('local'), token, {
      sub: LOCAL_IDP.machineClientId,
      client_id: LOCAL_IDP.machineClientId,
      scopes: [API_SCOPES.read],
      roles: [],
      kind: 'machine',
    });
  });

  // oidc-provider helpers/jwt.js: ID tokens carry no `typ`; OIDC Core §2: nonce, at_hash, aud = client.
  it('refuses its ID token: no typ (wrong_typ), reported as id_token_presented', async () => {
    const token = await build(V.LOCAL_ID_TOKEN, { aud: LOCAL_IDP.clientId });
    expect(await refusal(verifierFor('local'), token)).toBe('id_token_presented');
  });

  // Same ID token, `aud` = the API: refused by the typ rule before the audience is looked at.
  it('refuses its ID token even with the API audience (typ rule)', async () => {
    const token = await build(V.LOCAL_ID_TOKEN, { aud: API_AUDIENCE });
    expect(await refusal(verifierFor('local'), token)).toBe('id_token_presented');
  });
});

// ---------------------------------------------------------------------------------------------
// generic: RFC 9068 as written.

describe('generic: RFC 9068 (https://www.rfc-editor.org/rfc/rfc9068)', () => {
  // RFC 9068 §3 Figure 2 (header typ "at+JWT": §2.1 / RFC 7515 §4.1.9, compared case-insensitively).
  it('accepts the RFC 9068 §3 example token (typ at+JWT)', async () => {
    const token = await build(V.RFC9068_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('generic'), token, {
      sub: '5ba552d67',
      client_id: 's6BhdRkqt3',
      scopes: ['openid', 'profile', 'reademail'],
      roles: [],
      kind: 'user',
    });
  });

  // RFC 9068 §2.1: "application/at+jwt" is the full media type; §4: resource servers MUST accept it.
  it('accepts it typed application/at+jwt', async () => {
    const token = await build(V.RFC9068_ACCESS, { aud: API_AUDIENCE, header: { typ: 'application/at+jwt' } });
    await expectAccepted(verifierFor('generic'), token, {
      sub: '5ba552d67',
      client_id: 's6BhdRkqt3',
      scopes: ['openid', 'profile', 'reademail'],
      roles: [],
      kind: 'user',
    });
  });

  // RFC 9068 §4: "verify that the typ header value is at+jwt or application/at+jwt and reject
  // tokens carrying any other value": the generic profile admits only at+jwt.
  it('refuses the same payload typed JWT (wrong_typ)', async () => {
    const token = await build(V.RFC9068_ACCESS, { aud: API_AUDIENCE, header: { typ: 'JWT' } });
    expect(await refusal(verifierFor('generic'), token)).toBe('wrong_typ');
  });

  // RFC 9068 §2.2: client credentials, `sub` "SHOULD correspond to an identifier the authorization
  // server uses to indicate the client application".
  it('accepts a client-credentials token (sub == client_id) as a machine token', async () => {
    const token = await build(V.RFC9068_ACCESS, { aud: API_AUDIENCE, claims: { sub: 's6BhdRkqt3', scope: 'reademail' } });
    await expectAccepted(verifierFor('generic'), token, { sub: 's6BhdRkqt3', client_id: 's6BhdRkqt3', scopes: ['reademail'], roles: [], kind: 'machine' });
  });

  // OIDC Core §2 example ID token, header of Appendix A (no typ).
  it('refuses the OIDC Core §2 example ID token (id_token_presented)', async () => {
    const token = await build(V.OIDC_CORE_ID_TOKEN, { aud: 's6BhdRkqt3' });
    expect(await refusal(verifierFor('generic'), token)).toBe('id_token_presented');
  });

  // The same ID token with `aud` = the API: refused by the typ rule (not at+jwt), logged as an ID token.
  it('refuses it even with the API audience (typ rule)', async () => {
    const token = await build(V.OIDC_CORE_ID_TOKEN, { aud: API_AUDIENCE });
    expect(await refusal(verifierFor('generic'), token)).toBe('id_token_presented');
  });
});

// ---------------------------------------------------------------------------------------------
// Keycloak 25+. Built from the server source (no published example token):
// TokenManager.java, DefaultTokenManager.java, con-audience.adoc, changes-25_0_0.adoc.

describe('keycloak (https://github.com/keycloak/keycloak/blob/main/services/src/main/java/org/keycloak/protocol/oidc/TokenManager.java)', () => {
  // TokenManager.initToken (payload typ "Bearer", azp, scope, realm_access.roles); header typ JWT
  // (DefaultTokenManager); aud from an audience mapper (server_admin con-audience.adoc).
  it('accepts a default access token (header typ JWT, payload typ Bearer, azp, realm_access.roles)', async () => {
    const token = await build(V.KEYCLOAK_ACCESS, { aud: [API_AUDIENCE, 'account'] });
    await expectAccepted(verifierFor('keycloak'), token, {
      sub: '8f1c2b4e-5d6a-4b7c-9e8f-0a1b2c3d4e5f',
      client_id: 'notes-app',
      scopes: ['openid', 'profile', 'email'],
      roles: ['default-roles-demo', 'offline_access', 'uma_authorization', 'notes-writer'],
      kind: 'user',
    });
  });

  // DefaultTokenManager.type(ACCESS): "at+jwt" when the client attribute
  // access.token.header.type.rfc9068 is true (the Keycloak version adding it: UNCONFIRMED).
  it('accepts the same token with the per-client RFC 9068 switch (typ at+jwt)', async () => {
    const token = await build(V.KEYCLOAK_ACCESS, { aud: API_AUDIENCE, header: { typ: 'at+jwt' } });
    await expectAccepted(verifierFor('keycloak'), token, {
      sub: '8f1c2b4e-5d6a-4b7c-9e8f-0a1b2c3d4e5f',
      client_id: 'notes-app',
      scopes: ['openid', 'profile', 'email'],
      roles: ['default-roles-demo', 'offline_access', 'uma_authorization', 'notes-writer'],
      kind: 'user',
    });
  });

  // Service accounts (client credentials): ServiceAccountConstants.CLIENT_ID = "client_id",
  // https://github.com/keycloak/keycloak/pull/16359. UNCONFIRMED: `sub` is the service-account
  // user's id (not the client id). RFC 9068 §2.2 makes this a machine token; the profile has no
  // machine marker, so it is read as a user named by a UUID (see the report).
  it('accepts a service-account token as a machine token (client_id mapper)', async () => {
    const token = await build(V.KEYCLOAK_SERVICE_ACCOUNT_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('keycloak'), token, {
      sub: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
      client_id: 'notes-worker',
      scopes: ['profile', 'email'],
      roles: ['default-roles-demo'],
      kind: 'machine',
    });
  });

  // Keycloak ≤ 24 copied `nonce` into access tokens: https://github.com/keycloak/keycloak/issues/26893;
  // 25.0.0 upgrade note "Nonce claim is only added to the ID token" (docs/documentation/upgrading/
  // topics/changes/changes-25_0_0.adoc; the "Nonce backwards compatible" mapper restores it).
  // The guide requires Keycloak 25+.
  it('refuses a Keycloak ≤ 24 access token carrying nonce (id_token_presented)', async () => {
    const token = await build(V.KEYCLOAK_ACCESS, { aud: API_AUDIENCE, claims: { nonce: 'kR3v9Qm2Xw7Lp4Zt' } });
    expect(await refusal(verifierFor('keycloak'), token)).toBe('id_token_presented');
  });

  // TokenManager.generateIDToken: payload typ "ID", aud = the client, azp, nonce, at_hash.
  it('refuses its ID token (aud = the client: id_token_presented)', async () => {
    const token = await build(V.KEYCLOAK_ID_TOKEN, { aud: 'notes-app' });
    expect(await refusal(verifierFor('keycloak'), token)).toBe('id_token_presented');
  });

  // Same ID token with the API's audience (an audience mapper on a scope the client also uses for
  // its ID token): refused by the ID-token claims (nonce, at_hash).
  it('refuses its ID token even with the API audience (nonce/at_hash rule)', async () => {
    const token = await build(V.KEYCLOAK_ID_TOKEN, { aud: [API_AUDIENCE, 'notes-app'] });
    expect(await refusal(verifierFor('keycloak'), token)).toBe('id_token_presented');
  });

  // Without nonce and at_hash (e.g. an ID token from a refresh), only the payload typ "ID" tells:
  // the profile's marker is typ == "Bearer".
  it('refuses an ID token without nonce/at_hash carrying the API audience (missing_access_token_marker)', async () => {
    const token = await build(V.KEYCLOAK_ID_TOKEN, { aud: API_AUDIENCE, claims: { nonce: undefined, at_hash: undefined } });
    expect(await refusal(verifierFor('keycloak'), token)).toBe('missing_access_token_marker');
  });
});

// ---------------------------------------------------------------------------------------------
// Auth0. https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles

describe('auth0 (https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles)', () => {
  const USERINFO = 'https://my-domain.auth0.com/userinfo';

  // "Auth0 profile sample token"; Header table: Auth0 profile `JWT`. aud keeps its array form.
  it('accepts the Auth0-profile sample token (typ JWT, azp, scope, aud [api, userinfo])', async () => {
    const token = await build(V.AUTH0_ACCESS, { aud: [API_AUDIENCE, USERINFO] });
    await expectAccepted(verifierFor('auth0'), token, {
      sub: 'auth0|123456',
      client_id: 'my_client_id',
      scopes: ['openid', 'profile', 'read:patients', 'read:admin'],
      roles: [],
      kind: 'user',
    });
  });

  // Claims table, `permissions` (dialect access_token_authz: "Enable RBAC" + "Add permissions in
  // the Access Token"), sample value verbatim. The profile reads permissions as roles.
  it('accepts it with the RBAC permissions claim (access_token_authz), read as roles', async () => {
    const token = await build(V.AUTH0_ACCESS, { aud: [API_AUDIENCE, USERINFO], claims: { permissions: V.AUTH0_PERMISSIONS } });
    await expectAccepted(verifierFor('auth0'), token, {
      sub: 'auth0|123456',
      client_id: 'my_client_id',
      scopes: ['openid', 'profile', 'read:patients', 'read:admin'],
      roles: V.AUTH0_PERMISSIONS,
      kind: 'user',
    });
  });

  // "RFC 9068 profile sample token"; Header table: RFC 9068 profile `at+jwt`; `client_id`, `jti`.
  it('accepts the RFC 9068-profile sample token (typ at+jwt, client_id)', async () => {
    const token = await build(V.AUTH0_RFC9068_ACCESS, { aud: [API_AUDIENCE, USERINFO] });
    await expectAccepted(verifierFor('auth0'), token, {
      sub: 'auth0|123456',
      client_id: 'my_client_id',
      scopes: ['openid', 'profile', 'read:patients', 'read:admin'],
      roles: [],
      kind: 'user',
    });
  });

  // Claims table `sub` sample for M2M ("<client id>@clients"); `gty: client-credentials` is
  // UNCONFIRMED in the docs (the table says gty is "Only present for password and refresh_token")
  // but present in every published M2M token; https://auth0.com/docs/get-started/authentication-and-authorization-flow/client-credentials-flow
  it('accepts an Auth0-profile M2M token (gty client-credentials, sub <id>@clients) as a machine token', async () => {
    const token = await build(V.AUTH0_M2M_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('auth0'), token, {
      sub: V.AUTH0_M2M_SUB,
      client_id: V.AUTH0_M2M_CLIENT,
      scopes: ['read:patients'],
      roles: [],
      kind: 'machine',
    });
  });

  // RFC 9068 profile M2M: same `sub` "<client id>@clients" (Claims table, both profiles), and
  // "The RFC 9068 profile does not use the `gty` claim". Nothing the profile reads marks it as a
  // machine's: sub ≠ client_id, no gty (see the report).
  it('accepts an RFC 9068-profile M2M token (sub <id>@clients, no gty) as a machine token', async () => {
    const token = await build(V.AUTH0_RFC9068_M2M_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('auth0'), token, {
      sub: V.AUTH0_M2M_SUB,
      client_id: V.AUTH0_M2M_CLIENT,
      scopes: ['read:patients'],
      roles: [],
      kind: 'machine',
    });
  });

  // ID token: https://auth0.com/docs/get-started/apis/scopes/sample-use-cases-scopes-and-claims
  // (aud = client id, nonce, at_hash); header typ JWT UNCONFIRMED.
  it('refuses the documented ID token (aud = client id: id_token_presented)', async () => {
    const token = await build(V.AUTH0_ID_TOKEN, { aud: 'my_client_id' });
    expect(await refusal(verifierFor('auth0'), token)).toBe('id_token_presented');
  });

  it('refuses it even with the API audience (nonce/at_hash rule)', async () => {
    const token = await build(V.AUTH0_ID_TOKEN, { aud: API_AUDIENCE });
    expect(await refusal(verifierFor('auth0'), token)).toBe('id_token_presented');
  });

  // Without nonce/at_hash, the ID token still has no `scope` and no `permissions` (the profile's markers).
  it('refuses it without nonce/at_hash and with the API audience (missing_access_token_marker)', async () => {
    const token = await build(V.AUTH0_ID_TOKEN, { aud: API_AUDIENCE, claims: { nonce: undefined, at_hash: undefined } });
    expect(await refusal(verifierFor('auth0'), token)).toBe('missing_access_token_marker');
  });
});

// ---------------------------------------------------------------------------------------------
// Okta custom authorization server. The OIDC & OAuth 2.0 API reference
// (https://developer.okta.com/docs/reference/api/oidc/, okta/okta-developer-docs before 982a3bc1c1).

describe('okta (https://developer.okta.com/docs/reference/api/oidc/)', () => {
  // Access token: header alg + kid only (no typ), `scp` array, `cid`, `uid`, `ver`.
  it('accepts the documented access token (no typ, scp array, cid)', async () => {
    const token = await build(V.OKTA_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('okta'), token, {
      sub: '00ujmkLgagxeRrAg20g3',
      client_id: 'nmdP1fcyvdVO11AL7ECm',
      scopes: ['openid', 'email', 'flights', 'custom'],
      roles: [],
      kind: 'user',
    });
  });

  // Custom `groups` claim: "For a Custom Authorization Server, you can configure a custom `groups`
  // claim" (https://developer.okta.com/docs/guides/customize-tokens-groups-claim/main/); the claim
  // name is the admin's choice (the profile assumes `groups`).
  it('reads a configured groups claim as roles', async () => {
    const token = await build(V.OKTA_ACCESS, { aud: API_AUDIENCE, claims: { groups: ['Everyone', 'notes-writer'] } });
    await expectAccepted(verifierFor('okta'), token, {
      sub: '00ujmkLgagxeRrAg20g3',
      client_id: 'nmdP1fcyvdVO11AL7ECm',
      scopes: ['openid', 'email', 'flights', 'custom'],
      roles: ['Everyone', 'notes-writer'],
      kind: 'user',
    });
  });

  // Client credentials: https://developer.okta.com/docs/guides/implement-grant-type/clientcreds/main/
  // UNCONFIRMED: `sub` == `cid` (not in the reference).
  it('accepts a client-credentials token (sub == cid) as a machine token', async () => {
    const token = await build(V.OKTA_CLIENT_CREDENTIALS_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('okta'), token, {
      sub: '0oa5rxkq3wT9dC8zh1d7',
      client_id: '0oa5rxkq3wT9dC8zh1d7',
      scopes: ['custom'],
      roles: [],
      kind: 'machine',
    });
  });

  // ID token example of the reference: no typ, aud = client id, at_hash, jti "ID.…".
  it('refuses the documented ID token (aud = client id: id_token_presented)', async () => {
    const token = await build(V.OKTA_ID_TOKEN, { aud: 'uAaunofWkaDJxukCFeBx' });
    expect(await refusal(verifierFor('okta'), token)).toBe('id_token_presented');
  });

  it('refuses it even with the API audience (at_hash rule)', async () => {
    const token = await build(V.OKTA_ID_TOKEN, { aud: API_AUDIENCE });
    expect(await refusal(verifierFor('okta'), token)).toBe('id_token_presented');
  });

  // "If both an ID and an access token were requested ... the ID token includes the at_hash":
  // one issued alone has none, and no nonce unless sent; it still has neither scp nor cid.
  it('refuses it without at_hash and with the API audience (missing_access_token_marker)', async () => {
    const token = await build(V.OKTA_ID_TOKEN, { aud: API_AUDIENCE, claims: { at_hash: undefined } });
    expect(await refusal(verifierFor('okta'), token)).toBe('missing_access_token_marker');
  });
});

// ---------------------------------------------------------------------------------------------
// Microsoft Entra ID. https://learn.microsoft.com/entra/identity-platform/access-tokens,
// https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference,
// https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference

describe('entra (https://learn.microsoft.com/entra/identity-platform/access-tokens)', () => {
  // The v1.0 sample: typ JWT (+ x5t), `appid`, `appidacr`, `scp` string, `ver` "1.0".
  it('accepts the v1.0 sample access token (appid, appidacr, scp string)', async () => {
    const token = await build(V.ENTRA_V1_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('entra'), token, {
      sub: 'l3_roISQU222bULS9yi2k0XpqpOiMz5H3ZACo1GeXA',
      client_id: '75dbe77f-10a3-4e59-85fd-8c127544f17c',
      scopes: ['user_impersonation'],
      roles: [],
      kind: 'user',
    });
  });

  // The v2.0 sample: `azp`, `azpacr`, `scp`, `ver` "2.0".
  it('accepts the v2.0 sample access token (azp, azpacr, scp string)', async () => {
    const token = await build(V.ENTRA_V2_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('entra'), token, {
      sub: 'HKZpfaHyWadeOouYlitjrI-KffTm222X5rrV3xDqfKQ',
      client_id: '6e74172b-be56-4843-9ff4-e66a39bb12e3',
      scopes: ['access_as_user'],
      roles: [],
      kind: 'user',
    });
  });

  // App-only (client credentials): `roles` "in place of user scopes", no `scp`; `idtyp: app` from
  // https://learn.microsoft.com/entra/identity-platform/optional-claims-reference (an optional
  // claim: without it, nothing in the profile marks the token as a machine's).
  it('accepts an app-only v2.0 token (idtyp app, roles, no scp) as a machine token', async () => {
    const token = await build(V.ENTRA_V2_APP_ONLY_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('entra'), token, {
      sub: '4f3e2d1c-0b9a-4876-a543-210fedcba987',
      client_id: 'c2a54a1e-3b5d-4d2f-9e1c-6f7a8b9c0d1e',
      scopes: ['Notes.Read.All'],
      roles: ['Notes.Read.All'],
      kind: 'machine',
    });
  });

  // The sample v2.0 ID token (https://learn.microsoft.com/entra/identity-platform/id-tokens), with
  // `roles` (id-token-claims-reference: assigned roles, v1.0 and v2.0). aud = the client app.
  it('refuses the v2.0 ID token with roles (aud = client id: id_token_presented)', async () => {
    const token = await build(V.ENTRA_V2_ID_TOKEN, { aud: '6cb04018-a3f5-46a7-b995-940c78f5aef3', claims: { roles: ['notes-writer'] } });
    expect(await refusal(verifierFor('entra'), token)).toBe('id_token_presented');
  });

  // An app that is its own API (the v2.0 access token sample has azp == aud): its ID token carries
  // the API audience. Refused by the nonce rule.
  it('refuses it even with the API audience (nonce rule)', async () => {
    const token = await build(V.ENTRA_V2_ID_TOKEN, { aud: API_AUDIENCE, claims: { roles: ['notes-writer'] } });
    expect(await refusal(verifierFor('entra'), token)).toBe('id_token_presented');
  });

  // at_hash/c_hash: "This claim isn't returned on ID tokens from the /token endpoint"; nonce only
  // when the request sent one. Such an ID token with the API audience and `roles` is why `roles`
  // is no marker: it has no scp, azpacr or appidacr.
  it('refuses a /token ID token without nonce, with roles and the API audience (missing_access_token_marker)', async () => {
    const token = await build(V.ENTRA_V2_ID_TOKEN, { aud: API_AUDIENCE, claims: { nonce: undefined, roles: ['notes-writer'] } });
    expect(await refusal(verifierFor('entra'), token)).toBe('missing_access_token_marker');
  });
});

// ---------------------------------------------------------------------------------------------
// Amazon Cognito user pools.

describe('cognito (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html)', () => {
  // Header `kid` + `alg` only; `token_use: access`, `client_id`, `cognito:groups`, `scope`; `aud`
  // "Present only if your application requested a resource binding".
  it('accepts the documented access token (no typ, token_use access, client_id, cognito:groups)', async () => {
    const token = await build(V.COGNITO_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('cognito'), token, {
      sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      client_id: 'xxxxxxxxxxxxexample',
      scopes: ['phone', 'openid', 'profile', 'resourceserver.1/appclient2', 'email'],
      roles: ['testgroup'],
      kind: 'user',
    });
  });

  // The older page's payload has no `aud` (no resource binding). RFC 9068 §4 requires the audience
  // check, so such a token is refused: the profile asks for the audience with `resource`
  // (Cognito resource binding, Essentials/Plus tiers), and the guide says so. Not an ID-token rule.
  it('refuses the documented token without resource binding (no aud: missing_aud)', async () => {
    const token = await build(V.COGNITO_ACCESS, { aud: undefined });
    expect(await refusal(verifierFor('cognito'), token)).toBe('missing_aud');
  });

  // Client credentials: https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html;
  // `sub` == `client_id` is UNCONFIRMED in AWS's pages (from a published decoded token,
  // https://zenn.dev/noid11/articles/d36dccd74601ed83d83b).
  it('accepts a client-credentials token (sub == client_id) as a machine token', async () => {
    const token = await build(V.COGNITO_CLIENT_CREDENTIALS_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('cognito'), token, {
      sub: 'xxxxxxxxxxxxexample',
      client_id: 'xxxxxxxxxxxxexample',
      scopes: ['resourceserver.1/appclient2'],
      roles: [],
      kind: 'machine',
    });
  });

  // https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html:
  // `token_use: id`, `nonce`, `aud` = the app client.
  it('refuses the documented ID token (aud = client id: id_token_presented)', async () => {
    const token = await build(V.COGNITO_ID_TOKEN, { aud: 'xxxxxxxxxxxxexample' });
    expect(await refusal(verifierFor('cognito'), token)).toBe('id_token_presented');
  });

  it('refuses it even with the API audience (nonce rule)', async () => {
    const token = await build(V.COGNITO_ID_TOKEN, { aud: API_AUDIENCE });
    expect(await refusal(verifierFor('cognito'), token)).toBe('id_token_presented');
  });

  // nonce only when the request sent one: then only `token_use: id` tells (the marker is token_use=access).
  it('refuses it without nonce and with the API audience (missing_access_token_marker)', async () => {
    const token = await build(V.COGNITO_ID_TOKEN, { aud: API_AUDIENCE, claims: { nonce: undefined } });
    expect(await refusal(verifierFor('cognito'), token)).toBe('missing_access_token_marker');
  });
});

// ---------------------------------------------------------------------------------------------
// Google: sign-in only.

describe('google (https://developers.google.com/identity/openid-connect/openid-connect)', () => {
  // The profile itself says /api cannot work with Google.
  it('declares the API unsupported', () => {
    const { profile } = profileAndVerifier('google');
    expect(profile.api.supported).toBe(false);
    expect(profile.api.supported === false && profile.api.reason).toMatch(/Google/);
  });

  // Access tokens are opaque `ya29.…` (https://github.com/google/google-api-php-client/issues/263;
  // an official statement is UNCONFIRMED); Google offers tokeninfo, not RFC 7662 introspection.
  it('refuses a Google access token: opaque, no introspection (opaque_not_supported)', async () => {
    expect(await refusal(verifierFor('google'), V.GOOGLE_ACCESS_TOKEN)).toBe('opaque_not_supported');
  });

  // Google's ID token example (https://developers.google.com/identity/openid-connect/openid-connect#an-id-tokens-payload,
  // via https://qiita.com/masaha03/items/927abc3c6b93911fb703); header typ JWT UNCONFIRMED.
  it('refuses the documented ID token (id_token_presented)', async () => {
    const token = await build(V.GOOGLE_ID_TOKEN, { aud: '1234987819200.apps.googleusercontent.com' });
    expect(await refusal(verifierFor('google'), token)).toBe('id_token_presented');
  });

  // With API_AUDIENCE set to the Google client id (an API "accepting Google ID tokens"): refused by typ.
  it('refuses it even with the API audience (typ rule)', async () => {
    const token = await build(V.GOOGLE_ID_TOKEN, { aud: API_AUDIENCE });
    expect(await refusal(verifierFor('google'), token)).toBe('id_token_presented');
  });

  // at_hash is "always included" only with an access token in the server flow, nonce only when sent:
  // without both, and with the API audience, it is still refused, by typ alone.
  it('refuses it without nonce/at_hash and with the API audience (wrong_typ)', async () => {
    const token = await build(V.GOOGLE_ID_TOKEN, { aud: API_AUDIENCE, claims: { nonce: undefined, at_hash: undefined } });
    expect(await refusal(verifierFor('google'), token)).toBe('wrong_typ');
  });
});

// ---------------------------------------------------------------------------------------------
// ZITADEL. Built from the source (no published example token): zitadel/oidc pkg/oidc/token.go,
// zitadel internal/api/oidc/token.go (createJWT), docs claims.md / scopes.md.

describe('zitadel (https://zitadel.com/docs/apis/openidoauth/claims)', () => {
  // NewAccessTokenClaims: client_id, jti, aud = client(s) + project, no scope; roles object
  // (internal/api/oidc/userinfo.go). The JWT carries no scope, so verify accepts it with an empty
  // scope set, and /api then refuses every route with insufficient_scope (each needs notes:read or
  // another scope): the guide recommends ZITADEL's default opaque tokens with introspection, which
  // return `scope` (https://zitadel.com/docs/apis/openidoauth/endpoints#introspection_endpoint).
  it('accepts a JWT access token (typ JWT, client_id, jti) with an empty scope set', async () => {
    const token = await build(V.ZITADEL_ACCESS, { aud: [V.ZITADEL.client, API_AUDIENCE] });
    await expectAccepted(verifierFor('zitadel'), token, {
      sub: '259242039378444290',
      client_id: V.ZITADEL.client,
      scopes: [],
      roles: ['notes-writer'],
      kind: 'user',
    });
  });

  // NewIDTokenClaims: aud = client + project (scope urn:zitadel:iam:org:project:id:{id}:aud adds the
  // project "to the audience of the access and id token", scopes.md), azp, client_id, nonce, at_hash.
  // This is the ID token's usual shape: it carries the API audience. Refused by the nonce rule.
  it('refuses its ID token, which shares the project audience (nonce/at_hash rule)', async () => {
    const token = await build(V.ZITADEL_ID_TOKEN, { aud: [V.ZITADEL.client, API_AUDIENCE] });
    expect(await refusal(verifierFor('zitadel'), token)).toBe('id_token_presented');
  });

  // Without the project audience scope, aud is the client only.
  it('refuses its ID token without the project audience (id_token_presented)', async () => {
    const token = await build(V.ZITADEL_ID_TOKEN, { aud: [V.ZITADEL.client] });
    expect(await refusal(verifierFor('zitadel'), token)).toBe('id_token_presented');
  });

  // No nonce (none sent) and no at_hash: `client_id` is in both tokens, so the marker is `jti`
  // (claims.md: jti "No" in ID tokens, "When JWT" in access tokens).
  it('refuses its ID token without nonce/at_hash, sharing the audience (missing_access_token_marker)', async () => {
    const token = await build(V.ZITADEL_ID_TOKEN, { aud: [V.ZITADEL.client, API_AUDIENCE], claims: { nonce: undefined, at_hash: undefined } });
    expect(await refusal(verifierFor('zitadel'), token)).toBe('missing_access_token_marker');
  });
});

// ---------------------------------------------------------------------------------------------
// authentik: sign-in only. Built from the source (no published example token):
// authentik/providers/oauth2/id_token.py, models.py, views/token.py.

describe('authentik (https://github.com/goauthentik/authentik/blob/main/authentik/providers/oauth2/id_token.py)', () => {
  it('declares the API unsupported', () => {
    const { profile } = profileAndVerifier('authentik');
    expect(profile.api.supported).toBe(false);
    expect(profile.api.supported === false && profile.api.reason).toMatch(/nonce/);
  });

  // IDToken.to_access_token = the ID token's claims + azp + uid; aud = the client id; nonce set in
  // the code flow before the access token is derived (views/token.py). This is why the profile
  // says /api cannot work: the access token is refused as an ID token.
  it('refuses the access token itself: it carries nonce (id_token_presented)', async () => {
    const token = await build(V.AUTHENTIK_ACCESS, { aud: V.AUTHENTIK.client });
    expect(await refusal(verifierFor('authentik'), token)).toBe('id_token_presented');
  });

  // Even with API_AUDIENCE set to the client id (the only audience authentik issues).
  it('refuses the access token even with the API audience (nonce rule)', async () => {
    const token = await build(V.AUTHENTIK_ACCESS, { aud: API_AUDIENCE });
    expect(await refusal(verifierFor('authentik'), token)).toBe('id_token_presented');
  });

  // IDToken.to_jwt: same claims without azp/uid.
  it('refuses its ID token (id_token_presented)', async () => {
    const token = await build(V.AUTHENTIK_ID_TOKEN, { aud: V.AUTHENTIK.client });
    expect(await refusal(verifierFor('authentik'), token)).toBe('id_token_presented');
  });

  it('refuses its ID token even with the API audience (nonce rule)', async () => {
    const token = await build(V.AUTHENTIK_ID_TOKEN, { aud: API_AUDIENCE });
    expect(await refusal(verifierFor('authentik'), token)).toBe('id_token_presented');
  });
});
