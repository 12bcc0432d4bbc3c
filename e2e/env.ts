/** Settings shared by the Playwright config and the tests. Test values only. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

export const APP_URL = 'http://localhost:3000';
export const IDP_URL = 'http://localhost:4000';
/**
 * The e2e run's session secret: the tests use it to open the session cookie and read the real
 * tokens. Generated once per checkout (in .local/, which git ignores), like a real one: the
 * servers run in production mode, which refuses a hand-written sample (lib/config.ts
 * weakSecretReason). Kept in a file, so that servers left running (reuseExistingServer) match.
 */
export const TEST_SESSION_SECRET = ((file) => {
  if (!existsSync(file)) {
    mkdirSync('.local', { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
})('.local/e2e-session-secret');
/** `next start` runs in production mode: the session cookie has the __Host- prefix. */
export const SESSION_COOKIE = '__Host-session';
/** The store-mode instance (SESSION_STORE=redis) of the same build, its log, and its Redis. */
export const STORE_APP_URL = 'http://localhost:3004';
/** A second store-mode instance sharing the same Redis: the refresh race across instances. */
export const STORE_APP_URL_2 = 'http://localhost:3005';
export const STORE_APP_LOG_2 = 'test-results/store-app-2.log';
export const STORE_APP_LOG = 'test-results/store-app.log';
export const STORE_REDIS_PORT = 6390;
