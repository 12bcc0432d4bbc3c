/**
 * Loads app modules afresh under a given environment: lib/config.ts caches config() on first use,
 * so each load resets the module registry, clears the app's settings, and sets only `env`.
 * Callers restore the environment with vi.unstubAllEnvs() (afterEach).
 */
import { vi } from 'vitest';

/** Settings a test must not inherit from the shell that runs it. */
const APP_SETTINGS = [
  'OIDC_ISSUER',
  'OIDC_CLIENT_ID',
  'OIDC_CLIENT_SECRET',
  'OIDC_SCOPES',
  'APP_BASE_URL',
  'API_AUDIENCE',
  'SESSION_SECRET',
  'SESSION_SECRET_PREVIOUS',
];

export async function loadWithEnv<T>(
  load: () => Promise<T>,
  env: Record<string, string | undefined>,
): Promise<T> {
  vi.resetModules();
  for (const name of APP_SETTINGS) vi.stubEnv(name, undefined);
  vi.stubEnv('NODE_ENV', 'test');
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return load();
}
