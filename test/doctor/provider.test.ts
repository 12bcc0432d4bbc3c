/**
 * The setup doctor (lib/doctor) against a good provider, and against the mistakes a provider's
 * discovery document or the configuration can make: the issuer, PKCE, endpoints, RFC 9207, the
 * client authentication method, the signing algorithms. The provider is the fake one of
 * ../support/provider.ts, set up by ./helpers.ts.
 */
import { describe, expect, it } from 'vitest';
import { runDoctor } from '@/lib/doctor/doctor';
import { API_AUDIENCE } from '../support/provider.ts';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  env,
  expectNoFailure,
  expectNoLeak,
  find,
  provider,
  setUpProvider,
} from './helpers.ts';

setUpProvider();

describe('a good provider', () => {
  it('passes every check, with a good pasted token accepted by /api', async () => {
    const token = await provider.mint();
    const findings = await runDoctor(env(), { token });

    expectNoFailure(findings);
    expect(find(findings, 'configuration').status).toBe('ok');
    expect(find(findings, 'provider profile').detail).toContain('generic');
    expect(find(findings, 'redirect URIs').detail).toContain('http://localhost:3000/auth/callback');
    expect(find(findings, 'discovery').detail).toMatch(/answered in \d+ ms/);
    expect(find(findings, 'issuer').detail).toContain(provider.issuer);
    expect(find(findings, 'JWKS').detail).toContain('kid rs-1 RSA RS256');
    expect(find(findings, 'ID token algorithm').status).toBe('ok');
    expect(find(findings, 'API algorithms').detail).toContain('RS256');
    expect(find(findings, 'PKCE').status).toBe('ok');
    expect(find(findings, 'RFC 9207 iss').status).toBe('ok');
    for (const check of [
      'authorization_endpoint',
      'token_endpoint',
      'jwks_uri',
      'end_session_endpoint',
      'revocation_endpoint',
      'token endpoint auth method',
    ]) {
      expect(find(findings, check).status, check).toBe('ok');
    }
    expect(find(findings, 'client credentials').status).toBe('ok');
    expect(find(findings, 'access token').detail).toContain('the pasted token');
    expect(find(findings, 'access token aud').status).toBe('ok');
    expect(find(findings, 'access token scope').detail).toContain('notes:read notes:write');
    expect(find(findings, 'access token sub').detail).toContain('a user token');
    const verified = find(findings, 'verified as /api does');
    expect(verified.status).toBe('ok');
    expect(verified.detail).toContain('accepted by /api: sub alice');
    expectNoLeak(findings, CLIENT_SECRET, token, token.split('.')[2]!);
  });

  it('checks the client credentials at the token endpoint, then the token it got (200)', async () => {
    const findings = await runDoctor(env());

    expectNoFailure(findings);
    const credentials = find(findings, 'client credentials');
    expect(credentials.status).toBe('ok');
    expect(credentials.detail).toContain('client_secret_basic');
    // The grant as the app would ask for the API: RFC 8707 resource, the API scopes only.
    expect(provider.tokenRequests()).toHaveLength(1);
    const [request] = provider.tokenRequests();
    expect(request!.credentials).toEqual({ id: CLIENT_ID, secret: CLIENT_SECRET });
    expect(request!.body.get('grant_type')).toBe('client_credentials');
    expect(request!.body.get('resource')).toBe(API_AUDIENCE);
    expect(request!.body.get('scope')).toBe('notes:read notes:write');

    expect(find(findings, 'access token').detail).toContain('the client-credentials token');
    expect(find(findings, 'access token sub').detail).toContain('machine');
    const verified = find(findings, 'verified as /api does');
    expect(verified.status).toBe('ok');
    expect(verified.detail).toContain('a machine token');
    expectNoLeak(findings, CLIENT_SECRET);
  });
});

describe('provider problems', () => {
  it('fails on an issuer that differs by a trailing slash, naming both values', async () => {
    const findings = await runDoctor(env({ OIDC_ISSUER: `${provider.issuer}/` }));
    const issuer = find(findings, 'issuer');
    expect(issuer.status).toBe('fail');
    expect(issuer.detail).toContain(`"${provider.issuer}"`);
    expect(issuer.detail).toContain(`"${provider.issuer}/"`);
    expect(issuer.detail).toContain('trailing slash');
    expect(issuer.fix).toBe(
      `Set OIDC_ISSUER=${provider.issuer} (exactly, character for character), if that is the provider you meant.`,
    );
    // The other checks still read the document.
    expect(find(findings, 'PKCE').status).toBe('ok');
  });

  it('warns when the issuer differs only in a form the app normalizes (origin with or without "/")', async () => {
    const origin = new URL(provider.issuer).origin;
    provider.metadata = { issuer: `${origin}/` };
    const issuer = find(await runDoctor(env({ OIDC_ISSUER: origin })), 'issuer');
    expect(issuer.status).toBe('warn');
    expect(issuer.detail).toContain(`"${origin}/"`);
    expect(issuer.fix).toBe(`Set OIDC_ISSUER=${origin}/ exactly.`);
  });

  it('fails when the provider lists challenge methods without S256, warns when it lists none', async () => {
    provider.metadata = { code_challenge_methods_supported: ['plain'] };
    const without = find(await runDoctor(env()), 'PKCE');
    expect(without.status).toBe('fail');
    expect(without.detail).toContain('plain');
    expect(without.fix).toContain('S256');

    provider.metadata = { code_challenge_methods_supported: undefined };
    expect(find(await runDoctor(env()), 'PKCE').status).toBe('warn');
  });

  it('reports missing endpoints, RFC 9207 and an unsupported client authentication method', async () => {
    provider.metadata = {
      end_session_endpoint: undefined,
      authorization_response_iss_parameter_supported: undefined,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      id_token_signing_alg_values_supported: ['ES256'],
    };
    const findings = await runDoctor(env());
    expect(find(findings, 'end_session_endpoint').status).toBe('warn');
    expect(find(findings, 'RFC 9207 iss').status).toBe('warn');
    const method = find(findings, 'token endpoint auth method');
    expect(method.status).toBe('fail');
    expect(method.fix).toContain('OIDC_CLIENT_AUTH_METHOD=private_key_jwt');
    const alg = find(findings, 'ID token algorithm');
    expect(alg.status).toBe('fail');
    expect(alg.fix).toContain('OIDC_ID_TOKEN_SIGNING_ALG=ES256');
  });

  it('fails when API_ALGORITHMS fits none of the keys', async () => {
    const api = find(await runDoctor(env({ API_ALGORITHMS: 'ES256' })), 'API algorithms');
    expect(api.status).toBe('fail');
    expect(api.fix).toContain('API_ALGORITHMS=RS256');
  });

  it('reports a configuration error with the variable at fault, and stops there', async () => {
    const findings = await runDoctor(env({ OIDC_CLIENT_SECRET: undefined }));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.status).toBe('fail');
    expect(findings[0]!.detail).toContain('OIDC_CLIENT_SECRET');
  });
});
