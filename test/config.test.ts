import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig, readResourceServerConfig } from '@/lib/config';

/** Like a generated secret: production refuses hand-written samples (see "SESSION_SECRET strength"). */
const SECRET = 'Zq8vR2mT5xK1pL9wN3bH7cJ4dF6gA0sE';

/** Calls readConfig and returns the ConfigError it throws (fails the test if it does not). */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    readConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('readConfig did not throw');
}

describe('readConfig', () => {
  it('defaults to the local IdP with only SESSION_SECRET set', () => {
    const c = readConfig({ SESSION_SECRET: SECRET });
    expect(c.localIdp).toBe(true);
    expect(c.production).toBe(false);
    expect(c.issuer).toBeInstanceOf(URL);
    expect(c.issuer.href).toBe('http://localhost:4000/');
    expect(c.clientId).toBe('next-oidc-reference');
    expect(c.clientCredentials).toEqual({
      method: 'client_secret_basic',
      secret: 'local-idp-client-secret-for-development-only',
    });
    expect(c.redirectUri).toBe('http://localhost:3000/auth/callback');
    expect(c.postLogoutRedirectUri).toBe('http://localhost:3000/auth/logout/callback');
    expect(c.appBaseUrl.href).toBe('http://localhost:3000/');
    expect(c.apiAudience).toBe('http://localhost:3000/api');
    expect(c.scopes.split(' ')).toContain('openid');
    expect(c.sessionSecret).toBe(SECRET);
  });

  it('accepts a secret of exactly 32 characters', () => {
    expect(readConfig({ SESSION_SECRET: 'x'.repeat(32) }).sessionSecret).toHaveLength(32);
  });

  describe('SESSION_SECRET strength in production (whoever knows it can forge any session)', () => {
    const production = { NODE_ENV: 'production', APP_BASE_URL: 'https://app.example.com' };
    it.each([
      ['all one character', 'a'.repeat(44)],
      ['a short repeated pattern', 'abc1'.repeat(11)],
      ['a test value', 'e2e-only-session-secret-0123456789abcdef'],
      ['a "change me" value', 'please-change-me-before-deploying-0123456789'],
      ['a docs example', 'example-value-0123456789abcdefghijklmnop'],
      ['a sample in capitals', 'MY-SECRET-KEY-0123456789ABCDEFGHIJKLMN'],
      ['a password', 'Password1234567890Password1234567890'],
    ])('refuses %s', (_label, secret) => {
      const message = configError({ ...production, SESSION_SECRET: secret }).message;
      expect(message).toContain('SESSION_SECRET');
      expect(message).toContain('openssl rand -base64 32');
      expect(message, 'the error never shows the secret').not.toContain(secret);
    });

    it('refuses such a value in SESSION_SECRET_PREVIOUS too', () => {
      expect(
        configError({
          ...production,
          SESSION_SECRET: SECRET,
          SESSION_SECRET_PREVIOUS: `${randomBytes(32).toString('base64')},${'z'.repeat(40)}`,
        }).message,
      ).toContain('SESSION_SECRET_PREVIOUS');
    });

    it('accepts generated secrets (openssl rand -base64 32, -hex 32), 200 of each', () => {
      for (let i = 0; i < 200; i++) {
        for (const secret of [
          randomBytes(32).toString('base64'),
          randomBytes(32).toString('hex'),
        ]) {
          expect(readConfig({ ...production, SESSION_SECRET: secret }).sessionSecret).toBe(secret);
        }
      }
    });

    it('lets any 32 characters through outside production', () => {
      expect(readConfig({ SESSION_SECRET: 'a'.repeat(32) }).sessionSecret).toBe('a'.repeat(32));
      expect(
        readConfig({ NODE_ENV: 'development', SESSION_SECRET: 'dev-session-secret-0123456789abcd' })
          .production,
      ).toBe(false);
    });
  });

  it('SIGN_OUT_CLEAR_SITE_DATA: on by default, off when said, anything else refused', () => {
    expect(readConfig({ SESSION_SECRET: SECRET }).clearSiteDataOnSignOut).toBe(true);
    expect(
      readConfig({ SESSION_SECRET: SECRET, SIGN_OUT_CLEAR_SITE_DATA: 'off' })
        .clearSiteDataOnSignOut,
    ).toBe(false);
    expect(
      configError({ SESSION_SECRET: SECRET, SIGN_OUT_CLEAR_SITE_DATA: 'no' }).message,
    ).toContain('SIGN_OUT_CLEAR_SITE_DATA');
  });

  it('requires SESSION_SECRET in production', () => {
    const err = configError({ NODE_ENV: 'production' });
    expect(err.name).toBe('ConfigError');
    expect(err.message).toContain('SESSION_SECRET');
  });

  it('requires SESSION_SECRET in development too', () => {
    expect(configError({ NODE_ENV: 'development' }).message).toContain('SESSION_SECRET');
    expect(configError({}).message).toContain('SESSION_SECRET');
  });

  it('treats a blank SESSION_SECRET as unset', () => {
    expect(configError({ SESSION_SECRET: '   ' }).message).toContain('SESSION_SECRET');
  });

  it('rejects a SESSION_SECRET shorter than 32 characters', () => {
    const message = configError({ SESSION_SECRET: 'x'.repeat(31) }).message;
    expect(message).toContain('SESSION_SECRET');
    expect(message).toContain('32');
  });

  it('requires OIDC_CLIENT_ID once OIDC_ISSUER is set', () => {
    const message = configError({
      SESSION_SECRET: SECRET,
      OIDC_ISSUER: 'https://idp.example',
    }).message;
    expect(message).toContain('OIDC_CLIENT_ID');
  });

  it('requires OIDC_CLIENT_SECRET once OIDC_ISSUER is set', () => {
    const message = configError({
      SESSION_SECRET: SECRET,
      OIDC_ISSUER: 'https://idp.example',
      OIDC_CLIENT_ID: 'client',
    }).message;
    expect(message).toContain('OIDC_CLIENT_SECRET');
  });

  it('uses a real provider when OIDC_ISSUER and the client credentials are set', () => {
    const c = readConfig({
      SESSION_SECRET: SECRET,
      OIDC_ISSUER: 'https://idp.example/tenant',
      OIDC_CLIENT_ID: 'client',
      OIDC_CLIENT_SECRET: 'secret',
    });
    expect(c.localIdp).toBe(false);
    expect(c.issuer.href).toBe('https://idp.example/tenant');
    expect(c.clientId).toBe('client');
    expect(c.clientCredentials).toEqual({ method: 'client_secret_basic', secret: 'secret' });
  });

  it('names OIDC_ISSUER when it is not an absolute URL', () => {
    const message = configError({ SESSION_SECRET: SECRET, OIDC_ISSUER: 'not a url' }).message;
    expect(message).toContain('OIDC_ISSUER');
  });

  it('names APP_BASE_URL when it is not an absolute URL', () => {
    expect(configError({ SESSION_SECRET: SECRET, APP_BASE_URL: '/relative' }).message).toContain(
      'APP_BASE_URL',
    );
  });

  it('requires openid in OIDC_SCOPES', () => {
    const message = configError({ SESSION_SECRET: SECRET, OIDC_SCOPES: 'profile email' }).message;
    expect(message).toContain('OIDC_SCOPES');
  });

  it('does not mistake a scope that merely contains "openid" for openid', () => {
    expect(
      configError({ SESSION_SECRET: SECRET, OIDC_SCOPES: 'openid_extra profile' }).message,
    ).toContain('OIDC_SCOPES');
  });

  it('accepts custom OIDC_SCOPES that include openid', () => {
    expect(readConfig({ SESSION_SECRET: SECRET, OIDC_SCOPES: 'openid notes:read' }).scopes).toBe(
      'openid notes:read',
    );
  });

  it('derives the redirect URIs from APP_BASE_URL', () => {
    const c = readConfig({ SESSION_SECRET: SECRET, APP_BASE_URL: 'https://app.example' });
    expect(c.redirectUri).toBe('https://app.example/auth/callback');
    expect(c.postLogoutRedirectUri).toBe('https://app.example/auth/logout/callback');
  });

  it('reads API_AUDIENCE and NODE_ENV=production', () => {
    const c = readConfig({
      SESSION_SECRET: SECRET,
      API_AUDIENCE: 'https://api.example',
      NODE_ENV: 'production',
    });
    expect(c.apiAudience).toBe('https://api.example');
    expect(c.production).toBe(true);
  });
  it('refuses a plain-http issuer unless it is on this machine', () => {
    const base = { SESSION_SECRET: SECRET, OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 's' };
    expect(configError({ ...base, OIDC_ISSUER: 'http://idp.example' }).message).toContain(
      'OIDC_ISSUER',
    );
    expect(configError({ ...base, OIDC_ISSUER: 'ftp://idp.example' }).message).toContain(
      'https://',
    );
    expect(readConfig({ ...base, OIDC_ISSUER: 'http://127.0.0.1:8080/realms/x' }).issuer.port).toBe(
      '8080',
    );
  });

  it('requires APP_BASE_URL to be an origin, since redirect URIs are built from it', () => {
    expect(
      configError({ SESSION_SECRET: SECRET, APP_BASE_URL: 'https://app.example/base/' }).message,
    ).toContain('APP_BASE_URL');
    expect(
      readConfig({ SESSION_SECRET: SECRET, APP_BASE_URL: 'https://app.example/' }).redirectUri,
    ).toBe('https://app.example/auth/callback');
  });

  it('splits OIDC_SCOPES on any whitespace', () => {
    expect(
      readConfig({ SESSION_SECRET: SECRET, OIDC_SCOPES: 'openid\tprofile\n email' }).scopes,
    ).toBe('openid profile email');
  });
});

describe('SESSION_STORE: which session mode', () => {
  const env = (extra: Record<string, string>) => ({ SESSION_SECRET: SECRET, ...extra });

  it('is cookie mode with nothing set', () => {
    expect(readConfig(env({})).sessionStore).toEqual({ kind: 'cookie' });
  });

  it("is redis when Vercel's Redis variables arrive (KV_URL or REDIS_URL, rediss://), REDIS_URL first", () => {
    const kv = 'rediss://default:tok%2Fen@eu1-x.upstash.io:6379';
    expect(readConfig(env({ KV_URL: kv })).sessionStore).toEqual({ kind: 'redis', url: kv });
    expect(
      readConfig(env({ KV_URL: kv, REDIS_URL: 'redis://localhost:6379' })).sessionStore,
    ).toEqual({ kind: 'redis', url: 'redis://localhost:6379' });
  });

  it('an explicit SESSION_STORE wins over a Redis URL', () => {
    expect(
      readConfig(env({ SESSION_STORE: 'cookie', REDIS_URL: 'redis://localhost:6379' }))
        .sessionStore,
    ).toEqual({ kind: 'cookie' });
    expect(readConfig(env({ SESSION_STORE: 'memory' })).sessionStore).toEqual({ kind: 'memory' });
  });

  it('refuses SESSION_STORE=redis without a URL, a URL of another scheme, and an unknown mode', () => {
    expect(configError(env({ SESSION_STORE: 'redis' })).message).toContain('REDIS_URL');
    expect(configError(env({ REDIS_URL: 'https://eu1-x.upstash.io' })).message).toContain(
      'rediss://',
    );
    expect(configError(env({ SESSION_STORE: 'postgres' })).message).toContain(
      'cookie, memory or redis',
    );
  });

  it('refuses to stay silently in cookie mode when only the REST address of a Redis arrived', () => {
    const rest = { KV_REST_API_URL: 'https://eu1-x.upstash.io', KV_REST_API_TOKEN: 'token' };
    const err = configError(env(rest));
    expect(err.message).toContain('REDIS_URL');
    expect(
      configError(env({ UPSTASH_REDIS_REST_URL: 'https://eu1-x.upstash.io' })).message,
    ).toContain('SESSION_STORE=cookie');
    // Saying which mode is enough.
    expect(readConfig(env({ ...rest, SESSION_STORE: 'cookie' })).sessionStore).toEqual({
      kind: 'cookie',
    });
  });
});

describe("the app's origin: from configuration only", () => {
  const env = (extra: Record<string, string>) => ({ SESSION_SECRET: SECRET, ...extra });

  it('APP_BASE_URL decides, and API_AUDIENCE defaults to its /api (the resource server agrees)', () => {
    const c = readConfig(env({ APP_BASE_URL: 'https://app.example.com' }));
    expect(c.appBaseUrl.origin).toBe('https://app.example.com');
    expect(c.redirectUri).toBe('https://app.example.com/auth/callback');
    expect(c.postLogoutRedirectUri).toBe('https://app.example.com/auth/logout/callback');
    expect(c.apiAudience).toBe('https://app.example.com/api');
    expect(
      readResourceServerConfig(env({ APP_BASE_URL: 'https://app.example.com' })).audience,
    ).toBe('https://app.example.com/api');
  });

  it('on a Vercel production deployment without APP_BASE_URL: the production domain, never VERCEL_URL', () => {
    const vercel = {
      VERCEL: '1',
      VERCEL_ENV: 'production',
      VERCEL_PROJECT_PRODUCTION_URL: 'app.example.com',
      VERCEL_URL: 'app-git-x-abc123.vercel.app',
      VERCEL_BRANCH_URL: 'app-git-main.vercel.app',
    };
    const c = readConfig(env(vercel));
    expect(c.appBaseUrl.href).toBe('https://app.example.com/');
    expect(c.apiAudience).toBe('https://app.example.com/api');
    // APP_BASE_URL still wins.
    expect(
      readConfig(env({ ...vercel, APP_BASE_URL: 'https://login.example.com' })).redirectUri,
    ).toBe('https://login.example.com/auth/callback');
  });

  it('on a preview deployment: the branch URL (stable, registrable), never the per-deployment VERCEL_URL', () => {
    const c = readConfig(
      env({
        VERCEL: '1',
        VERCEL_ENV: 'preview',
        VERCEL_BRANCH_URL: 'app-git-feature-team.vercel.app',
        VERCEL_URL: 'app-abc123-team.vercel.app',
        VERCEL_PROJECT_PRODUCTION_URL: 'app.example.com',
      }),
    );
    expect(c.redirectUri).toBe('https://app-git-feature-team.vercel.app/auth/callback');
  });

  it('a deployment with neither APP_BASE_URL nor its Vercel URL is a configuration error naming APP_BASE_URL', () => {
    expect(
      configError(env({ VERCEL_ENV: 'preview', VERCEL_URL: 'app-abc123-team.vercel.app' })).message,
    ).toContain('APP_BASE_URL');
    expect(configError(env({ VERCEL_ENV: 'production' })).message).toContain(
      'VERCEL_PROJECT_PRODUCTION_URL',
    );
  });

  it('`vercel dev` (VERCEL_ENV=development) stays on localhost', () => {
    expect(readConfig(env({ VERCEL_ENV: 'development' })).appBaseUrl.href).toBe(
      'http://localhost:3000/',
    );
  });

  it('refuses an origin with a path, credentials, or plain http in production (but localhost)', () => {
    expect(configError(env({ APP_BASE_URL: 'https://app.example.com/app' })).message).toContain(
      'without a path',
    );
    expect(configError(env({ APP_BASE_URL: 'https://user:pw@app.example.com' })).message).toContain(
      'APP_BASE_URL',
    );
    expect(
      configError(env({ NODE_ENV: 'production', APP_BASE_URL: 'http://app.example.com' })).message,
    ).toContain('https://');
    expect(
      readConfig(env({ NODE_ENV: 'production', APP_BASE_URL: 'http://localhost:3001' })).appBaseUrl
        .port,
    ).toBe('3001');
  });
});
