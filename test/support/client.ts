/**
 * The client (lib/client), loaded in a fresh module graph per provider (a helper module, not a
 * test file), configured for the fake provider's client (./provider.ts): config(), the discovery
 * cache and the JWKS cache are module state. Used by test/client/callback.test.ts and the
 * hostile-provider tests (test/client/hostile-provider/).
 *
 * config() reads process.env once, on first use. Tests run concurrently, so each load happens
 * under a lock: stub the environment, import, and call config() before the next load restubs
 * the environment. After that the loaded client keeps its issuer whatever the environment says.
 * Call vi.unstubAllEnvs() when the file is done.
 *
 * Each load stands for a fresh server process, so it also forgets the discovery document that
 * lib/issuer-http.ts keeps process-wide (on globalThis, outliving vi.resetModules) for this
 * issuer: a second client loaded for the same provider (another server behind a load balancer)
 * fetches discovery itself.
 */
import { CLIENT_ID, CLIENT_SECRET } from './provider.ts';
import { loadWithEnv } from './env.ts';

/** 40 characters: readConfig requires at least 32. */
const SESSION_SECRET = 'test-session-secret-0123456789-abcdefghi';

export type Client = typeof import('@/lib/client/callback') &
  typeof import('@/lib/client/errors') &
  typeof import('@/lib/client/login') &
  typeof import('@/lib/client/refresh') &
  Pick<typeof import('@/lib/client/authorization-server'), 'JWKS_REFETCH_COOLDOWN_MS'>;

let lock: Promise<unknown> = Promise.resolve();

export function loadClient(issuer: string): Promise<Client> {
  const load = lock.then(async (): Promise<Client> => {
    const env = {
      SESSION_SECRET,
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
    };
    const [callback, errors, login, refresh, authorizationServer, config, issuerHttp] =
      await loadWithEnv(
        () =>
          Promise.all([
            import('@/lib/client/callback'),
            import('@/lib/client/errors'),
            import('@/lib/client/login'),
            import('@/lib/client/refresh'),
            import('@/lib/client/authorization-server'),
            import('@/lib/config'),
            import('@/lib/issuer-http'),
          ]),
        env,
      );
    // Discovery is kept per process (lib/issuer-http.ts): a fresh client copy stands for another server.
    issuerHttp.forgetDiscovery(new URL(issuer));
    // The same module instance the client modules use: pin this graph's configuration now.
    if (config.config().issuer.href !== new URL(issuer).href)
      throw new Error('the client was loaded for another issuer');
    return {
      ...callback,
      ...errors,
      ...login,
      ...refresh,
      JWKS_REFETCH_COOLDOWN_MS: authorizationServer.JWKS_REFETCH_COOLDOWN_MS,
    };
  });
  lock = load.catch(() => undefined);
  return load;
}

/** What `promise` rejected with, or undefined if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** Milliseconds that `promise` takes to settle, and what it rejected with. */
export async function timed(
  promise: () => Promise<unknown>,
): Promise<{ ms: number; error: unknown }> {
  const started = performance.now();
  const error = await rejectionOf(promise());
  return { ms: performance.now() - started, error };
}
