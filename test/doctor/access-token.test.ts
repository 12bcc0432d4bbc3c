/**
 * The setup doctor's checks of a pasted access token (lib/doctor): its claims, and whether /api
 * would accept it. The tokens are signed by the fake provider of ../support/provider.ts, set up by
 * ./helpers.ts.
 */
import { describe, expect, it } from 'vitest';
import { runDoctor } from '@/lib/doctor/doctor';
import { API_AUDIENCE } from '../support/provider.ts';
import {
  CLIENT_ID,
  env,
  expectNoFailure,
  expectNoLeak,
  find,
  provider,
  setUpProvider,
} from './helpers.ts';

setUpProvider();

describe('a pasted access token', () => {
  it("fails on another audience: names the token's aud and API_AUDIENCE, and /api says wrong_audience", async () => {
    const token = await provider.mint({ aud: 'https://other.example/api' });
    const findings = await runDoctor(env(), { token });

    const aud = find(findings, 'access token aud');
    expect(aud.status).toBe('fail');
    expect(aud.detail).toContain('https://other.example/api');
    expect(aud.detail).toContain(API_AUDIENCE);
    expect(aud.fix).toContain('Set API_AUDIENCE=https://other.example/api');
    expect(aud.fix).toContain(`resource=${API_AUDIENCE}`);
    expect(aud.fix).toContain('docs/providers/README.md');
    const verified = find(findings, 'verified as /api does');
    expect(verified.status).toBe('fail');
    expect(verified.detail).toContain('wrong_audience');
    expectNoLeak(findings, token);
  });

  it('fails on an ID token (nonce, aud = client id): id_token_presented', async () => {
    const token = await provider.mint(
      { aud: CLIENT_ID, nonce: 'n-0S6_WzA2Mj', client_id: undefined, scope: undefined },
      { typ: undefined },
    );
    const findings = await runDoctor(env(), { token });

    const idClaims = find(findings, 'ID-token claims');
    expect(idClaims.status).toBe('fail');
    expect(idClaims.detail).toContain('nonce');
    expect(find(findings, 'access token typ').status).toBe('fail');
    expect(find(findings, 'access token aud').detail).toContain('probably an ID token');
    const verified = find(findings, 'verified as /api does');
    expect(verified.status).toBe('fail');
    expect(verified.detail).toContain('id_token_presented');
  });

  it('accepts a Keycloak access token (header typ JWT, payload typ Bearer) with OIDC_PROVIDER=keycloak', async () => {
    const token = await provider.mint(
      {
        typ: 'Bearer',
        azp: CLIENT_ID,
        client_id: undefined,
        realm_access: { roles: ['notes-writer'] },
      },
      { typ: 'JWT' },
    );
    const findings = await runDoctor(env({ OIDC_PROVIDER: 'keycloak' }), { token });

    expectNoFailure(findings);
    expect(find(findings, 'access token typ').detail).toContain('keycloak');
    expect(find(findings, 'access token marker').detail).toContain('typ=Bearer');
    expect(find(findings, 'access token client id').detail).toBe(`azp: ${CLIENT_ID}`);
    expect(find(findings, 'access token roles').detail).toContain('holds notes-writer');
    expect(find(findings, 'verified as /api does').detail).toContain('accepted by /api');
    // The same token under the strict default profile: wrong_typ, with the way out.
    const strict = await runDoctor(env(), { token });
    expect(find(strict, 'access token typ').fix).toContain('OIDC_PROVIDER');
    expect(find(strict, 'verified as /api does').detail).toContain('wrong_typ');
  });

  it('says an opaque token needs introspection credentials', async () => {
    const finding = find(
      await runDoctor(env(), { token: 'abcdefghijklmnopqrstuvwxyz0123456789' }),
      'access token',
    );
    expect(finding.status).toBe('info');
    expect(finding.detail).toContain('API_INTROSPECTION_CLIENT_ID/SECRET');
    expect(finding.detail).not.toContain('abcdefghijklmnop');
  });

  it('skips the token checks where /api cannot be used (Google)', async () => {
    const token = await provider.mint();
    const findings = await runDoctor(env({ OIDC_PROVIDER: 'google' }), { token });
    expect(find(findings, 'access token').detail).toContain('Google');
    expect(findings.some((f) => f.check === 'verified as /api does')).toBe(false);
  });
});
