/**
 * The setup doctor's client-credentials check (lib/doctor): a client-credentials grant at the
 * provider's token endpoint with the configured client authentication, and what it makes of each
 * answer. The provider is the fake one of ../support/provider.ts, set up by ./helpers.ts.
 */
import { exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { runDoctor } from '@/lib/doctor/doctor';
import { CLIENT_ID, env, expectNoLeak, find, provider, setUpProvider } from './helpers.ts';

setUpProvider();

describe('client credentials', () => {
  it('fails when the provider refuses them (invalid_client), naming the variables', async () => {
    const wrong = 'a-wrong-secret-that-must-not-be-printed';
    const findings = await runDoctor(env({ OIDC_CLIENT_SECRET: wrong }));
    const credentials = find(findings, 'client credentials');
    expect(credentials.status).toBe('fail');
    expect(credentials.detail).toContain('the provider refused the client credentials');
    expect(credentials.detail).toContain('HTTP 401 invalid_client');
    expect(credentials.fix).toContain('OIDC_CLIENT_SECRET');
    expect(credentials.fix).toContain('OIDC_CLIENT_AUTH_METHOD');
    expect(credentials.fix).toContain('client_secret_post'); // '-' travels form-encoded in Basic
    expect(find(findings, 'access token').status).toBe('info'); // nothing to check
    expectNoLeak(findings, wrong);
  });

  it('signs a private_key_jwt assertion with the configured PKCS #8 key (RFC 7523 §2.2)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    provider.tokenEndpoint = async ({ body }) => {
      if (
        body.get('client_assertion_type') !==
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
      )
        return { status: 401, body: { error: 'invalid_client' } };
      const { payload } = await jwtVerify(body.get('client_assertion') ?? '', publicKey, {
        issuer: CLIENT_ID,
        subject: CLIENT_ID,
      });
      expect(payload.aud).toBeDefined();
      return { status: 400, body: { error: 'unauthorized_client' } };
    };
    const findings = await runDoctor(
      env({
        OIDC_CLIENT_SECRET: undefined,
        OIDC_CLIENT_AUTH_METHOD: 'private_key_jwt',
        OIDC_CLIENT_PRIVATE_KEY: await exportPKCS8(privateKey),
        OIDC_CLIENT_KEY_ALG: 'ES256',
      }),
    );
    const credentials = find(findings, 'client credentials');
    expect(credentials.status).toBe('info');
    expect(credentials.detail).toContain('unauthorized_client');
    expect(provider.tokenRequests()[0]!.credentials).toBeUndefined();
    expect(find(findings, 'configuration').detail).toContain(
      'private key in OIDC_CLIENT_PRIVATE_KEY (ES256)',
    );
  });

  it('is info when the client may not use the grant (unauthorized_client), and echoes no control characters', async () => {
    provider.tokenEndpoint = () => ({
      status: 400,
      body: {
        error: 'unauthorized_client',
        error_description: `no\u001b[31m grant\n${'x'.repeat(500)}`,
      },
    });
    const credentials = find(await runDoctor(env()), 'client credentials');
    expect(credentials.status).toBe('info');
    expect(credentials.detail).toContain('unauthorized_client');
    expect(credentials.detail).not.toMatch(/[\u0000-\u001f]/);
    expect(credentials.detail).not.toContain('x'.repeat(201));
  });

  it('warns on an unexpected answer', async () => {
    provider.tokenEndpoint = () => ({ status: 500, body: { error: 'server_error' } });
    const credentials = find(await runDoctor(env()), 'client credentials');
    expect(credentials.status).toBe('warn');
    expect(credentials.detail).toContain('HTTP 500 server_error');
  });
});
