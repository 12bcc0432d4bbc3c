/** Settings shared by the Playwright config and the tests. Test values only. */
export const APP_URL = 'http://localhost:3000';
export const IDP_URL = 'http://localhost:4000';
/** The e2e run's session secret: the tests use it to open the session cookie and read the real tokens. */
export const TEST_SESSION_SECRET = 'e2e-only-session-secret-0123456789abcdef';
/** `next start` runs in production mode: the session cookie has the __Host- prefix. */
export const SESSION_COOKIE = '__Host-session';
/** The store-mode instance (SESSION_STORE=redis) of the same build, its log, and its Redis. */
export const STORE_APP_URL = 'http://localhost:3004';
/** A second store-mode instance sharing the same Redis: the refresh race across instances. */
export const STORE_APP_URL_2 = 'http://localhost:3005';
export const STORE_APP_LOG_2 = 'test-results/store-app-2.log';
export const STORE_APP_LOG = 'test-results/store-app.log';
export const STORE_REDIS_PORT = 6390;
