import { existsSync } from 'node:fs';
import { chromium, defineConfig, devices } from '@playwright/test';
import {
  APP_URL,
  IDP_URL,
  STORE_APP_LOG,
  STORE_APP_LOG_2,
  STORE_APP_URL,
  STORE_APP_URL_2,
  STORE_REDIS_PORT,
  TEST_SESSION_SECRET,
} from './e2e/env';
import {
  GLEWLWYD_API_AUDIENCE,
  GLEWLWYD_APP_LOG,
  GLEWLWYD_APP_URL,
  GLEWLWYD_CLIENT_ID,
  GLEWLWYD_CLIENT_SECRET,
  GLEWLWYD_DISCOVERY_URL,
  GLEWLWYD_ISSUER,
  GLEWLWYD_SCOPES,
  GLEWLWYD_TOKEN_ENDPOINT_AUTH_METHOD,
  GLEWLWYD_TTL_S,
} from './e2e/glewlwyd/settings';
import {
  HOSTILE_API_AUDIENCE,
  HOSTILE_APP_LOG,
  HOSTILE_APP_URL,
  HOSTILE_CLIENT_ID,
  HOSTILE_CLIENT_SECRET,
  HOSTILE_ISSUER,
  HOSTILE_USER,
  LOGIN_ONLY_APP_LOG,
  LOGIN_ONLY_APP_URL,
  STORE_HOSTILE_APP_LOG,
  STORE_HOSTILE_APP_URL,
} from './e2e/hostile/scenarios';

/**
 * Chromium: Playwright's own when it is installed (`npx playwright install chromium`), otherwise
 * the system's (Debian/Ubuntu `chromium`), e.g. in CI where Playwright cannot download browsers.
 */
function systemChromium(): string | undefined {
  if (existsSync(chromium.executablePath())) return undefined;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) =>
    existsSync(p),
  );
}
const executablePath = systemChromium();

/**
 * The suite signs in hundreds of times from 127.0.0.1 and fuzzes /api: the shared servers run
 * without per-address limits. e2e/rate-limits.spec.ts starts its own server with them.
 */
const NO_RATE_LIMITS = { RATE_LIMIT_AUTH: 'off', RATE_LIMIT_API: 'off' };

/**
 * Another instance of the production build on `url`'s port, configured by `env`. webServer entries
 * start one after the other, each once the previous one answers, so `.next` is built by then.
 * Its stdout (the JSON log lines) goes to `log`, which the tests read; Playwright clears
 * test-results/ before it starts any web server.
 */
function appInstance(url: string, log: string, env: Record<string, string>) {
  return {
    command: `mkdir -p test-results && exec npm run start -- -p ${new URL(url).port} > ${log}`,
    url: `${url}/`,
    reuseExistingServer: !process.env.CI,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    timeout: 60_000,
    env: {
      ...env,
      APP_BASE_URL: url,
      SESSION_SECRET: TEST_SESSION_SECRET,
      NEXT_TELEMETRY_DISABLED: '1',
      ...NO_RATE_LIMITS,
    },
  };
}

export default defineConfig({
  testDir: './e2e',
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  timeout: 30_000,
  use: {
    baseURL: APP_URL,
    trace: 'retain-on-failure',
    ...devices['Desktop Chrome'],
    launchOptions: executablePath
      ? {
          executablePath,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        }
      : {},
  },
  webServer: [
    {
      command: 'npm run idp',
      url: `${IDP_URL}/.well-known/openid-configuration`,
      reuseExistingServer: !process.env.CI,
      stdout: 'ignore',
      stderr: 'pipe',
      timeout: 30_000,
      // The store-mode instance signs in here too.
      // Back-channel logout goes to the store-mode instance (the main one keeps sessions in cookies).
      env: {
        IDP_EXTRA_APP_URLS: `${STORE_APP_URL},${STORE_APP_URL_2}`,
        IDP_BACKCHANNEL_LOGOUT_URL: `${STORE_APP_URL}/auth/backchannel-logout`,
      },
    },
    {
      // A real Redis for the store-mode instance (Debian's redis-server; nothing on disk).
      // DEBUG SLEEP lets e2e/store make it hang on purpose.
      command: `redis-server --port ${STORE_REDIS_PORT} --bind 127.0.0.1 --save '' --appendonly no --enable-debug-command local`,
      port: STORE_REDIS_PORT,
      reuseExistingServer: !process.env.CI,
      stdout: 'ignore',
      stderr: 'pipe',
      timeout: 30_000,
    },
    {
      // The production build, as users deploy it; with the attack lab on (LAB=on), which
      // e2e/lab.spec.ts runs (it is off in production by default: a 404, tested there too).
      command: 'npm run build && npm run start',
      url: `${APP_URL}/`,
      reuseExistingServer: !process.env.CI,
      stdout: 'ignore',
      stderr: 'pipe',
      timeout: 240_000,
      env: {
        SESSION_SECRET: TEST_SESSION_SECRET,
        NEXT_TELEMETRY_DISABLED: '1',
        LAB: 'on',
        ...NO_RATE_LIMITS,
      },
    },
    {
      // A hostile OpenID provider for e2e/hostile: misbehaves per login, as the browser asks.
      command:
        'node --experimental-strip-types --disable-warning=ExperimentalWarning e2e/hostile/server.ts',
      url: `${HOSTILE_ISSUER}/.well-known/openid-configuration`,
      reuseExistingServer: !process.env.CI,
      stdout: 'ignore',
      stderr: 'pipe',
      timeout: 30_000,
    },
    // A second instance of the build, signing in at the hostile provider. Write permission by
    // subject: the hostile provider's tokens carry no roles claim.
    appInstance(HOSTILE_APP_URL, HOSTILE_APP_LOG, {
      OIDC_ISSUER: HOSTILE_ISSUER,
      OIDC_CLIENT_ID: HOSTILE_CLIENT_ID,
      OIDC_CLIENT_SECRET: HOSTILE_CLIENT_SECRET,
      API_AUDIENCE: HOSTILE_API_AUDIENCE,
      API_WRITERS: HOSTILE_USER.sub,
    }),
    // The same build with a sign-in-only profile (OIDC_PROVIDER=google) at the hostile provider:
    // e2e/hostile/login-only.spec.ts.
    appInstance(LOGIN_ONLY_APP_URL, LOGIN_ONLY_APP_LOG, {
      OIDC_ISSUER: HOSTILE_ISSUER,
      OIDC_PROVIDER: 'google',
      OIDC_CLIENT_ID: HOSTILE_CLIENT_ID,
      OIDC_CLIENT_SECRET: HOSTILE_CLIENT_SECRET,
      API_AUDIENCE: `${LOGIN_ONLY_APP_URL}/api`,
    }),
    {
      // An independent, certified OpenID provider: Glewlwyd from Debian (`apt-get install
      // glewlwyd`), set up afresh through its admin API by e2e/glewlwyd/server.ts. Its access
      // tokens live GLEWLWYD_TTL_S seconds, so the suite also runs with short-lived tokens.
      command:
        'node --experimental-strip-types --disable-warning=ExperimentalWarning e2e/glewlwyd/server.ts',
      url: GLEWLWYD_DISCOVERY_URL,
      reuseExistingServer: !process.env.CI,
      stdout: 'ignore',
      stderr: 'pipe',
      timeout: 60_000,
      // SIGTERM lets it stop Glewlwyd and remove its temporary folder.
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
      env: { GLEWLWYD_ACCESS_TOKEN_TTL: String(GLEWLWYD_TTL_S) },
    },
    // Store mode (SESSION_STORE=redis) at the local IdP, two instances sharing one Redis:
    // e2e/store/. The IdP issues tokens for the main instance's API audience, which their /api
    // then requires too.
    ...[
      [STORE_APP_URL, STORE_APP_LOG],
      [STORE_APP_URL_2, STORE_APP_LOG_2],
    ].map(([url, log]) =>
      appInstance(url!, log!, {
        SESSION_STORE: 'redis',
        REDIS_URL: `redis://127.0.0.1:${STORE_REDIS_PORT}`,
        API_AUDIENCE: `${APP_URL}/api`,
        LAB: 'on',
      }),
    ),
    // Store mode at the hostile provider: token sets too large for cookies (e2e/hostile/large-tokens).
    appInstance(STORE_HOSTILE_APP_URL, STORE_HOSTILE_APP_LOG, {
      OIDC_ISSUER: HOSTILE_ISSUER,
      OIDC_CLIENT_ID: HOSTILE_CLIENT_ID,
      OIDC_CLIENT_SECRET: HOSTILE_CLIENT_SECRET,
      API_AUDIENCE: HOSTILE_API_AUDIENCE,
      API_WRITERS: HOSTILE_USER.sub,
      SESSION_STORE: 'redis',
      REDIS_URL: `redis://127.0.0.1:${STORE_REDIS_PORT}`,
    }),
    // Another instance of the build, signing in at Glewlwyd with the generic (strict RFC 9068)
    // profile, as docs/providers/glewlwyd.md configures it.
    appInstance(GLEWLWYD_APP_URL, GLEWLWYD_APP_LOG, {
      OIDC_ISSUER: GLEWLWYD_ISSUER,
      OIDC_CLIENT_ID: GLEWLWYD_CLIENT_ID,
      OIDC_CLIENT_SECRET: GLEWLWYD_CLIENT_SECRET,
      OIDC_CLIENT_AUTH_METHOD: GLEWLWYD_TOKEN_ENDPOINT_AUTH_METHOD,
      OIDC_SCOPES: GLEWLWYD_SCOPES.join(' '),
      API_AUDIENCE: GLEWLWYD_API_AUDIENCE,
    }),
  ],
});
