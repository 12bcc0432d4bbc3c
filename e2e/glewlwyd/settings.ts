/**
 * Settings of the throwaway Glewlwyd instance (e2e/glewlwyd/server.ts), shared with the Playwright
 * config and the tests. Test values only: everything runs on localhost and is gone when the
 * server stops. No imports, so the Playwright config can import this file at startup.
 */

/** Glewlwyd's port. It binds 127.0.0.1 only. */
export const GLEWLWYD_PORT = Number(process.env.GLEWLWYD_PORT ?? 4200);
export const GLEWLWYD_URL = `http://localhost:${GLEWLWYD_PORT}`;
/** The OIDC plugin instance is named `oidc`, so its endpoints live under /api/oidc; its `iss` is set to exactly this. */
export const GLEWLWYD_ISSUER = `${GLEWLWYD_URL}/api/oidc`;
export const GLEWLWYD_DISCOVERY_URL = `${GLEWLWYD_ISSUER}/.well-known/openid-configuration`;

/** The app instance that signs in at Glewlwyd. */
export const GLEWLWYD_APP_URL = (process.env.GLEWLWYD_APP_URL ?? 'http://localhost:3002').replace(
  /\/+$/,
  '',
);
export const GLEWLWYD_REDIRECT_URI = `${GLEWLWYD_APP_URL}/auth/callback`;
export const GLEWLWYD_POST_LOGOUT_REDIRECT_URI = `${GLEWLWYD_APP_URL}/auth/logout/callback`;
/** Where that app instance's stdout (its JSON log lines) goes; the suite reads it. */
export const GLEWLWYD_APP_LOG = 'test-results/glewlwyd-app.log';
/** The lifetime of Glewlwyd's access tokens (and ID tokens) in the e2e run: short, on purpose. */
export const GLEWLWYD_TTL_S = 15;
/** The resource indicator (RFC 8707) the app sends; Glewlwyd then puts it in the access token's `aud`. */
export const GLEWLWYD_API_AUDIENCE = process.env.GLEWLWYD_API_AUDIENCE ?? `${GLEWLWYD_APP_URL}/api`;

/**
 * A confidential client, registered for `client_secret_post` only. The secret holds reserved
 * characters on purpose: with `client_secret_basic` a client form-encodes them before Base64
 * (RFC 6749 §2.3.1) and Glewlwyd, which does not decode them, answers 403 unauthorized_client.
 */
export const GLEWLWYD_CLIENT_ID = 'next-oidc-reference';
export const GLEWLWYD_CLIENT_SECRET = 'gl-Secret_with.reserved~chars+/=';
export const GLEWLWYD_TOKEN_ENDPOINT_AUTH_METHOD = 'client_secret_post';

/**
 * The scopes the clients may ask for. Glewlwyd issues a refresh token in every code flow, without
 * `offline_access`; a requested `offline_access` (unknown here) is silently left out of the grant.
 */
export const GLEWLWYD_SCOPES = ['openid', 'profile', 'email', 'notes:read', 'notes:write'] as const;

/**
 * Demo users: both hold every scope and have consented to it for the client. Only alice has a
 * role: her access tokens carry `roles: "notes-writer"` (a space-separated string); bob's carry
 * no `roles` claim. Their `sub` is random, drawn anew by each run of the server.
 */
export const GLEWLWYD_USERS = {
  alice: {
    username: 'alice',
    password: 'alice-password',
    name: 'Alice Liddell',
    email: 'alice@example.com',
    roles: ['notes-writer'],
  },
  bob: {
    username: 'bob',
    password: 'bob-password',
    name: 'Bob Builder',
    email: 'bob@example.com',
    roles: [],
  },
} as const;

/** The admin account of a fresh Glewlwyd database (its schema inserts it). */
export const GLEWLWYD_ADMIN = { username: 'admin', password: 'password' } as const;
