/**
 * Choosing a provider profile and overriding its fields (lib/providers/resolve.ts), and the
 * configuration rules that come with profiles (lib/config.ts).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig, readResourceServerConfig } from '@/lib/config';
import { PROFILES, PROVIDER_NAMES } from '@/lib/providers/profiles';
import { ProfileError, PROFILE_VARIABLES, resolveProfile } from '@/lib/providers/resolve';

const SECRET = 'resolve-test-session-secret-0123456789';
const REAL = {
  OIDC_ISSUER: 'https://idp.example',
  OIDC_CLIENT_ID: 'web-app',
  OIDC_CLIENT_SECRET: 'a-secret_with.reserved~chars',
};

function profileError(env: Record<string, string | undefined>): string {
  try {
    resolveProfile(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ProfileError);
    return (err as Error).message;
  }
  throw new Error('resolveProfile did not throw');
}

function configError(env: Record<string, string | undefined>): string {
  try {
    readConfig({ SESSION_SECRET: SECRET, ...env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('readConfig did not throw');
}

describe('choosing a profile', () => {
  it('is local without OIDC_ISSUER and generic (strict RFC 9068) with it', () => {
    expect(resolveProfile({}).name).toBe('local');
    const generic = resolveProfile({ OIDC_ISSUER: 'https://idp.example' });
    expect(generic.name).toBe('generic');
    expect(generic.accessToken.typ).toEqual(['at+jwt']);
    expect(generic.audienceRequest).toBe('resource');
  });

  it.each(PROVIDER_NAMES.filter((n) => n !== 'local'))(
    'OIDC_PROVIDER=%s selects its profile',
    (name) => {
      expect(resolveProfile({ OIDC_ISSUER: 'https://idp.example', OIDC_PROVIDER: name })).toEqual(
        PROFILES[name],
      );
    },
  );

  it('refuses an unknown profile, naming the choices', () => {
    expect(profileError({ OIDC_ISSUER: 'https://idp.example', OIDC_PROVIDER: 'ping' })).toMatch(
      /OIDC_PROVIDER must be one of local, generic, keycloak/,
    );
  });

  it('refuses local with a real issuer, and a real profile without one', () => {
    expect(profileError({ OIDC_ISSUER: 'https://idp.example', OIDC_PROVIDER: 'local' })).toMatch(
      /unset OIDC_ISSUER/,
    );
    expect(profileError({ OIDC_PROVIDER: 'okta' })).toMatch(/OIDC_PROVIDER=okta needs OIDC_ISSUER/);
  });

  it('every profile that admits a typ other than at+jwt has a positive access-token marker', () => {
    for (const profile of Object.values(PROFILES)) {
      if (profile.accessToken.typ.some((t) => t !== 'at+jwt'))
        expect(profile.accessToken.markers.length, profile.name).toBeGreaterThan(0);
    }
  });

  it('Google and authentik sign in only: their profiles say why /api cannot work', () => {
    for (const name of ['google', 'authentik'] as const) {
      const api = PROFILES[name].api;
      expect(api.supported).toBe(false);
      expect(api.supported ? '' : api.reason).toMatch(/\/api/);
    }
  });
});

describe('overriding profile fields', () => {
  const base = { OIDC_ISSUER: 'https://idp.example' };

  it('every variable in PROFILE_VARIABLES changes the profile', () => {
    const overrides: Record<keyof typeof PROFILE_VARIABLES, string> = {
      OIDC_PROVIDER: 'keycloak',
      OIDC_AUDIENCE_REQUEST: 'audience',
      OIDC_EXTRA_SCOPES: 'urn:zitadel:iam:org:project:id:123:aud api://x/.default',
      OIDC_AUTHORIZATION_PARAMS: 'access_type=offline&prompt=consent',
      OIDC_CLIENT_AUTH_METHOD: 'client_secret_post',
      OIDC_LOGOUT: 'none',
      API_ENABLED: 'false',
      API_TOKEN_TYP: 'application/at+jwt JWT absent',
      API_TOKEN_MARKERS: 'token_use=access scp',
      API_SCOPE_CLAIM: 'scp,scope',
      API_CLIENT_ID_CLAIM: 'cid azp',
      API_ROLES_CLAIM: 'resource_access.api.roles',
      API_MACHINE_MARKERS: 'gty=client-credentials sub$=@clients',
    };
    const p = resolveProfile({ ...base, ...overrides });
    expect(p.name).toBe('keycloak');
    expect(p.audienceRequest).toBe('audience');
    expect(p.extraScopes).toEqual(['urn:zitadel:iam:org:project:id:123:aud', 'api://x/.default']);
    expect(p.authorizationParams).toEqual({ access_type: 'offline', prompt: 'consent' });
    expect(p.clientAuthMethod).toBe('client_secret_post');
    expect(p.logout).toBe('none');
    expect(p.api.supported).toBe(false);
    // typ values are compared case-insensitively, with application/ removed (RFC 7515 §4.1.9).
    expect(p.accessToken.typ).toEqual(['at+jwt', 'jwt', 'absent']);
    expect(p.accessToken.markers).toEqual([
      { claim: 'token_use', equals: 'access' },
      { claim: 'scp' },
    ]);
    expect(p.accessToken.scopeClaims).toEqual(['scp', 'scope']);
    expect(p.accessToken.clientIdClaims).toEqual(['cid', 'azp']);
    expect(p.accessToken.rolesClaim).toBe('resource_access.api.roles');
    expect(p.accessToken.machineMarkers).toEqual([
      { claim: 'gty', equals: 'client-credentials' },
      { claim: 'sub', suffix: '@clients' },
    ]);
  });

  it('API_ROLES_CLAIM=none removes the roles claim; API_ENABLED=true enables /api for a login-only profile', () => {
    expect(
      resolveProfile({ ...base, API_ROLES_CLAIM: 'none' }).accessToken.rolesClaim,
    ).toBeUndefined();
    expect(
      resolveProfile({ ...base, OIDC_PROVIDER: 'google', API_ENABLED: 'true' }).api.supported,
    ).toBe(true);
  });

  it('refuses a typ other than at+jwt without a marker: an ID token of the same issuer would pass', () => {
    expect(profileError({ ...base, API_TOKEN_TYP: 'at+jwt jwt' })).toMatch(/API_TOKEN_MARKERS/);
    expect(profileError({ ...base, OIDC_PROVIDER: 'okta', API_TOKEN_MARKERS: ' ' + ',' })).toMatch(
      /API_TOKEN_MARKERS/,
    );
  });

  it.each([
    'state=x',
    'nonce=x',
    'redirect_uri=https://evil.example',
    'code_challenge_method=plain',
    'client_id=other',
    'resource=https://other',
    'scope=openid',
  ])('refuses OIDC_AUTHORIZATION_PARAMS that would override the flow: %s', (params) => {
    expect(profileError({ ...base, OIDC_AUTHORIZATION_PARAMS: params })).toMatch(
      /the flow sets those itself/,
    );
  });

  it.each([
    ['OIDC_AUDIENCE_REQUEST', 'header'],
    ['OIDC_CLIENT_AUTH_METHOD', 'client_secret_jwt'],
    ['OIDC_LOGOUT', 'frontchannel'],
    ['API_ENABLED', 'yes'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(profileError({ ...base, [name]: value })).toContain(name);
  });

  it('a marker without a claim name is refused', () => {
    expect(profileError({ ...base, OIDC_PROVIDER: 'okta', API_TOKEN_MARKERS: '=access' })).toMatch(
      /names no claim/,
    );
  });
});

describe('markers (matchesAny)', () => {
  it('present, equal (token-type words case-insensitively), or ending with a suffix', async () => {
    const { matchesAny } = await import('@/lib/providers/profiles');
    const keycloak = PROFILES.keycloak.accessToken.markers;
    expect(matchesAny({ typ: 'Bearer' }, keycloak)).toBe(true);
    expect(matchesAny({ typ: 'bearer' }, keycloak)).toBe(true); // Keycloak's lower-case option
    expect(matchesAny({ typ: 'ID' }, keycloak)).toBe(false);
    expect(matchesAny({ typ: ['Bearer'] }, keycloak)).toBe(false);
    expect(matchesAny({}, keycloak)).toBe(false);
    const auth0 = PROFILES.auth0.accessToken.machineMarkers;
    expect(matchesAny({ sub: 'awZfdIir8YFdGZWkvCejDoUb7SjTDicx@clients' }, auth0)).toBe(true);
    expect(matchesAny({ sub: 'auth0|123456' }, auth0)).toBe(false);
    expect(matchesAny({ sub: 'x@clients-not' }, auth0)).toBe(false);
    expect(matchesAny({ scp: null }, [{ claim: 'scp' }])).toBe(false);
    expect(matchesAny({ realm_access: { roles: [] } }, [{ claim: 'realm_access.roles' }])).toBe(
      true,
    );
  });
});

describe('configuration that comes with profiles', () => {
  it('refuses API_AUDIENCE equal to OIDC_CLIENT_ID, explaining why', () => {
    const message = configError({ ...REAL, API_AUDIENCE: 'web-app' });
    expect(message).toMatch(/API_AUDIENCE equals OIDC_CLIENT_ID/);
    expect(message).toMatch(/ID tokens carry the client id as their audience/);
  });

  it('turns a profile error into a ConfigError (the server refuses to start, naming the variable)', () => {
    expect(configError({ ...REAL, OIDC_PROVIDER: 'nope' })).toContain('OIDC_PROVIDER');
  });

  it("uses the profile's default scopes and appends OIDC_EXTRA_SCOPES once", () => {
    expect(readConfig({ SESSION_SECRET: SECRET, ...REAL, OIDC_PROVIDER: 'google' }).scopes).toBe(
      'openid profile email',
    );
    const c = readConfig({
      SESSION_SECRET: SECRET,
      ...REAL,
      OIDC_SCOPES: 'openid email',
      OIDC_EXTRA_SCOPES: 'email urn:x:aud',
    });
    expect(c.scopes).toBe('openid email urn:x:aud');
  });

  it('client_secret_post and private_key_jwt', () => {
    expect(
      readConfig({ SESSION_SECRET: SECRET, ...REAL, OIDC_CLIENT_AUTH_METHOD: 'client_secret_post' })
        .clientCredentials,
    ).toEqual({
      method: 'client_secret_post',
      secret: REAL.OIDC_CLIENT_SECRET,
    });
    const pem = '-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----';
    const c = readConfig({
      SESSION_SECRET: SECRET,
      ...REAL,
      OIDC_CLIENT_SECRET: undefined,
      OIDC_CLIENT_AUTH_METHOD: 'private_key_jwt',
      OIDC_CLIENT_PRIVATE_KEY: pem,
      OIDC_CLIENT_KEY_ID: 'k1',
    });
    expect(c.clientCredentials).toEqual({
      method: 'private_key_jwt',
      privateKey: { pem: pem.replaceAll('\\n', '\n'), file: undefined },
      keyId: 'k1',
      alg: 'RS256',
    });
  });

  it('private_key_jwt needs exactly one key source, a PKCS #8 PEM and an asymmetric alg', () => {
    const pkj = { ...REAL, OIDC_CLIENT_AUTH_METHOD: 'private_key_jwt' };
    expect(configError(pkj)).toMatch(/exactly one of OIDC_CLIENT_PRIVATE_KEY/);
    expect(
      configError({
        ...pkj,
        OIDC_CLIENT_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----',
        OIDC_CLIENT_PRIVATE_KEY_FILE: '/k.pem',
      }),
    ).toMatch(/exactly one/);
    expect(
      configError({ ...pkj, OIDC_CLIENT_PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----' }),
    ).toMatch(/PKCS #8/);
    expect(
      configError({ ...pkj, OIDC_CLIENT_PRIVATE_KEY_FILE: '/k.pem', OIDC_CLIENT_KEY_ALG: 'HS256' }),
    ).toMatch(/OIDC_CLIENT_KEY_ALG/);
  });

  it('pins the ID token algorithm: RS256 by default, asymmetric only', () => {
    expect(readConfig({ SESSION_SECRET: SECRET }).idTokenSigningAlg).toBe('RS256');
    expect(
      readConfig({ SESSION_SECRET: SECRET, OIDC_ID_TOKEN_SIGNING_ALG: 'ES256' }).idTokenSigningAlg,
    ).toBe('ES256');
    for (const alg of ['HS256', 'none', 'rs256'])
      expect(configError({ OIDC_ID_TOKEN_SIGNING_ALG: alg })).toContain(
        'OIDC_ID_TOKEN_SIGNING_ALG',
      );
  });

  it('the resource server reads the shape, the API overrides and who may write', () => {
    const rs = readResourceServerConfig({
      ...REAL,
      OIDC_PROVIDER: 'okta',
      API_ISSUER: 'https://sts.example/tenant/',
      API_JWKS_URI: 'https://keys.example/jwks',
      API_WRITERS: 'u1, u2',
      API_WRITER_ROLE: 'Notes.Write',
    });
    expect(rs.tokenShape).toEqual(PROFILES.okta.accessToken);
    expect(rs.tokenIssuer).toBe('https://sts.example/tenant/');
    expect(rs.jwksUri?.href).toBe('https://keys.example/jwks');
    expect(rs.writers).toEqual(['u1', 'u2']);
    expect(rs.writerRole).toBe('Notes.Write');
    expect(rs.enabled).toBe(true);
    expect(
      readResourceServerConfig({ ...REAL, API_WRITER_ROLE: 'none' }).writerRole,
    ).toBeUndefined();
    expect(readResourceServerConfig({}).writerRole).toBe('notes-writer');
    expect(() =>
      readResourceServerConfig({ ...REAL, API_JWKS_URI: 'http://keys.example/jwks' }),
    ).toThrow(/API_JWKS_URI must be an https/);
  });

  it("API_SCOPE_PREFIX and API_SCOPE_MAP rename provider scopes to the API's (Cognito, Entra)", async () => {
    const rs = readResourceServerConfig({
      ...REAL,
      API_SCOPE_PREFIX: 'https://api.example/',
      API_SCOPE_MAP: 'Notes.Read=notes:read, Notes.Write=notes:write',
    });
    expect(rs.scopePrefix).toBe('https://api.example/');
    expect(rs.scopeMap).toEqual({ 'Notes.Read': 'notes:read', 'Notes.Write': 'notes:write' });
    const { scopeNamer } = await import('@/lib/resource-server/access-token');
    const name = scopeNamer(rs.scopePrefix, rs.scopeMap);
    expect(
      [
        'https://api.example/notes:read',
        'Notes.Write',
        'https://api.example/Notes.Read',
        'openid',
        'https://other.example/notes:read',
      ].map(name),
    ).toEqual([
      'notes:read',
      'notes:write',
      'notes:read',
      'openid',
      'https://other.example/notes:read',
    ]);
    for (const bad of ['a', 'a=', '=b', 'a=b=c'])
      expect(() => readResourceServerConfig({ ...REAL, API_SCOPE_MAP: bad })).toThrow(
        /API_SCOPE_MAP/,
      );
  });
});
