/**
 * The harness of the token-shape tests (./*.test.ts, one per provider profile of
 * lib/providers/profiles.ts; not a test file). For each profile, the access token and the ID
 * token its provider documents (header and claims, ../vectors.ts) are signed with real RS256 keys
 * by a real issuer on node:http (the fake provider, ../../support/provider.ts: discovery + JWKS), and verified
 * by the resource server's own verifier (createAccessTokenVerifier with the profile's shape from
 * resolveProfile, and a real JWKS cache). Nothing is mocked.
 *
 * The access token must be accepted and read as the profile says (client id, subject, scopes,
 * roles, user or machine); the ID token must be refused, with the exact reason code, also when
 * it carries the API's audience (providers whose ID and access tokens share `aud`).
 *
 * Each describe and it names the documentation it rests on; UNCONFIRMED marks a fact the
 * sources do not establish. Only `iss`, `aud`, `iat`, `exp` and `nbf` of a documented token are
 * replaced; a documented `kid` is kept (the issuer publishes a key under it).
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { ProviderName, ProviderProfile } from '@/lib/providers/profiles';
import { resolveProfile } from '@/lib/providers/resolve';
import {
  createAccessTokenVerifier,
  InvalidTokenError,
  type AccessToken,
} from '@/lib/resource-server/access-token';
import { createJwksCache } from '@/lib/resource-server/jwks';
import { b64json, newKeyPair, nowS, signSegments, type KeyPair } from '../../support/jws.ts';
import { API_AUDIENCE, startFakeProvider, type FakeProvider } from '../../support/provider.ts';
import { CLOCK_TOLERANCE_S } from '../../support/resource-server.ts';
import * as V from '../vectors';

let issuer: FakeProvider;
let jwksUri: URL;
/** Keys published under the documented `kid`s (Okta, Cognito, Entra, RFC 9068, OIDC Core). */
const documentedKeys = new Map<string, KeyPair>();

/**
 * Starts the test issuer before the file's tests, with a key published under every documented
 * `kid` of ../vectors.ts, and reads its discovery document; stops it afterwards.
 */
export function setUpIssuer(): void {
  beforeAll(async () => {
    issuer = await startFakeProvider({ publish: ['rs', 'es'] });
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
}

export type Verify = (token: string) => Promise<AccessToken>;

/** The effective profile (OIDC_PROVIDER=name, against the test issuer) and a verifier built from it. */
export function profileAndVerifier(name: ProviderName): {
  profile: ProviderProfile;
  verify: Verify;
} {
  const profile = resolveProfile(
    name === 'local'
      ? { OIDC_PROVIDER: 'local' }
      : { OIDC_PROVIDER: name, OIDC_ISSUER: issuer.issuer },
  );
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

export const verifierFor = (name: ProviderName): Verify => profileAndVerifier(name).verify;

/** Members merged onto others; a member set to `undefined` removes it. */
function merge(base: V.Members, overrides: V.Members): V.Members {
  return Object.fromEntries(
    Object.entries({ ...base, ...overrides }).filter(([, v]) => v !== undefined),
  );
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
export async function build(
  shape: V.TokenShape,
  { aud, claims = {}, header = {} }: Build,
): Promise<string> {
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

export interface Expected {
  sub: string;
  client_id: string;
  scopes: readonly string[];
  roles: readonly string[];
  kind: AccessToken['kind'];
}

/** verify() resolves, and reads the token as expected. */
export async function expectAccepted(
  verify: Verify,
  token: string,
  expected: Expected,
): Promise<void> {
  const accepted = await verify(token);
  expect({
    sub: accepted.sub,
    client_id: accepted.client_id,
    scopes: [...accepted.scopes].sort(),
    roles: [...accepted.roles].sort(),
    kind: accepted.kind,
    format: accepted.format,
  }).toEqual({
    ...expected,
    scopes: [...expected.scopes].sort(),
    roles: [...expected.roles].sort(),
    format: 'jwt',
  });
}

/** verify() rejects with an InvalidTokenError; returns its reason code. */
export async function refusal(verify: Verify, token: string): Promise<string> {
  const error: unknown = await verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the token was accepted').toBeInstanceOf(InvalidTokenError);
  return (error as InvalidTokenError).reason;
}
