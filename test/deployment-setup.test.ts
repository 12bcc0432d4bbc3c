/**
 * What a Vercel deployment lacks (lib/deployment-setup.ts), and the URLs built from the
 * configured origin (lib/origin.ts). The 503 page itself is tested end to end in
 * e2e/deployment-setup.spec.ts.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { deploymentProblems, setupRequiredResponse, signInOff } from '@/lib/deployment-setup';
import { appUrl, onConfiguredHost, redirectTo } from '@/lib/origin';

const SECRET = 'x'.repeat(32);
const names = (env: Record<string, string>) => deploymentProblems(env).map((p) => p.name);
const PRODUCTION = {
  VERCEL: '1',
  VERCEL_ENV: 'production',
  VERCEL_PROJECT_PRODUCTION_URL: 'app.example.com',
};
const COMPLETE = {
  ...PRODUCTION,
  SESSION_SECRET: SECRET,
  OIDC_ISSUER: 'https://idp.example.com',
  OIDC_CLIENT_ID: 'client',
  OIDC_CLIENT_SECRET: 'secret',
};

describe('deploymentProblems: every missing variable at once', () => {
  it('names all four on an empty production deployment, and APP_BASE_URL when Vercel gives no URL', () => {
    expect(names(PRODUCTION)).toEqual([
      'SESSION_SECRET',
      'OIDC_ISSUER',
      'OIDC_CLIENT_ID',
      'OIDC_CLIENT_SECRET',
    ]);
    expect(names({ VERCEL_ENV: 'preview' })).toContain('APP_BASE_URL');
    expect(
      names({ VERCEL_ENV: 'preview', VERCEL_BRANCH_URL: 'app-git-x.vercel.app' }),
    ).not.toContain('APP_BASE_URL');
  });

  it('nothing when complete; a too-short secret is named without its value', () => {
    expect(deploymentProblems(COMPLETE)).toEqual([]);
    const [problem] = deploymentProblems({ ...COMPLETE, SESSION_SECRET: 'tiny-secret-value' });
    expect(problem!.name).toBe('SESSION_SECRET');
    expect(problem!.how).toContain('shorter than 32');
    expect(problem!.how).not.toContain('tiny-secret-value');
  });

  it('private_key_jwt asks for the key, not a secret', () => {
    const env = { ...COMPLETE, OIDC_CLIENT_AUTH_METHOD: 'private_key_jwt', OIDC_CLIENT_SECRET: '' };
    expect(names(env)).toEqual(['OIDC_CLIENT_PRIVATE_KEY']);
  });

  it('with nothing missing, a malformed value is the configuration error, naming the variable', () => {
    const [problem] = deploymentProblems({ ...COMPLETE, OIDC_ISSUER: 'http://idp.example.com' });
    expect(problem).toMatchObject({ name: 'configuration' });
    expect(problem!.how).toContain('OIDC_ISSUER must be an https:// URL');
    expect(deploymentProblems({ ...COMPLETE, API_ALGORITHMS: 'HS256' })[0]!.how).toContain(
      'API_ALGORITHMS',
    );
  });

  it('PREVIEW_SIGN_IN=off: nothing required on a preview, refused anywhere else', () => {
    const preview = {
      VERCEL_ENV: 'preview',
      VERCEL_BRANCH_URL: 'app-git-x.vercel.app',
      PREVIEW_SIGN_IN: 'off',
    };
    expect(signInOff(preview)).toBe(true);
    expect(deploymentProblems(preview)).toEqual([]);
    expect(signInOff({ ...preview, VERCEL_ENV: 'production' })).toBe(false);
    expect(names({ ...COMPLETE, PREVIEW_SIGN_IN: 'off' })).toEqual(['PREVIEW_SIGN_IN']);
  });

  it('the page escapes what it shows and answers 503, no-store, with a CSP that runs nothing', async () => {
    const response = setupRequiredResponse([
      {
        name: 'configuration',
        how: 'APP_BASE_URL must be an origin; got "<script>alert(1)</script>".',
      },
    ]);
    expect(response.status).toBe(503);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'nonce-[^']+'/,
    );
    const html = await response.text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });
});

describe('lib/origin.ts: URLs from the configured origin', () => {
  beforeAll(() => {
    vi.stubEnv('SESSION_SECRET', SECRET);
    vi.stubEnv('APP_BASE_URL', 'https://app.example.com');
  });

  it("appUrl builds on APP_BASE_URL and takes only this app's paths", () => {
    expect(appUrl('/auth/error?reason=x').href).toBe('https://app.example.com/auth/error?reason=x');
    for (const bad of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      'relative',
      'javascript:alert(1)',
    ]) {
      expect(() => appUrl(bad), bad).toThrow(TypeError);
    }
  });

  it("redirectTo: 303 by default, never cached; a URL object (the provider's) is used as is", () => {
    const response = redirectTo('/dashboard');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('https://app.example.com/dashboard');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(redirectTo(new URL('https://idp.example.com/logout'), 307).headers.get('location')).toBe(
      'https://idp.example.com/logout',
    );
  });

  it('onConfiguredHost compares Host with the configured host, nothing else', () => {
    const at = (host: string) =>
      new Request('https://anything.invalid/auth/login', { headers: { host } });
    expect(onConfiguredHost(at('app.example.com'))).toBe(true);
    expect(onConfiguredHost(at('APP.example.com'))).toBe(true);
    expect(onConfiguredHost(at('app.example.com.evil.example'))).toBe(false);
    expect(onConfiguredHost(at('app-abc123.vercel.app'))).toBe(false);
  });
});
