/**
 * What the hostile provider (e2e/hostile/server.ts) and the app-level hostile suites share:
 * addresses, the client registration, and the scenarios with the sign-in failure each must
 * produce. Plain erasable TypeScript without imports: `node --experimental-strip-types` loads it
 * for the server, Playwright for the config and the tests.
 */

/** The hostile OpenID provider. */
export const HOSTILE_ISSUER = 'http://localhost:4100';
export const HOSTILE_PORT = 4100;
/** The second instance of the app's production build, configured for the hostile provider. */
export const HOSTILE_APP_URL = 'http://localhost:3001';
/** That instance's API identifier (API_AUDIENCE): the `resource` it asks for and the `aud` it requires. */
export const HOSTILE_API_AUDIENCE = `${HOSTILE_APP_URL}/api`;
/** The app instance's stdout (its JSON log lines), relative to the repository root. */
export const HOSTILE_APP_LOG = 'test-results/hostile-app.log';

/** The app's registration at the hostile provider (client_secret_basic). Test values only. */
export const HOSTILE_CLIENT_ID = 'hostile-e2e-client';
export const HOSTILE_CLIENT_SECRET = 'hostile-e2e-client-secret-for-tests-only';
/**
 * A third instance of the build signs in at the hostile provider with the `google` profile
 * (sign-in only: no API audience, no provider logout, Google's authorization parameters).
 */
export const LOGIN_ONLY_APP_URL = 'http://localhost:3003';
export const LOGIN_ONLY_APP_LOG = 'test-results/login-only-app.log';
/** The same build in store mode (SESSION_STORE=redis) at the hostile provider: large token sets. */
export const STORE_HOSTILE_APP_URL = 'http://localhost:3006';
export const STORE_HOSTILE_APP_LOG = 'test-results/store-hostile-app.log';
export const HOSTILE_REDIRECT_URIS: readonly string[] = [
  HOSTILE_APP_URL,
  LOGIN_ONLY_APP_URL,
  STORE_HOSTILE_APP_URL,
].map((origin) => `${origin}/auth/callback`);

/** The user every login signs in. */
export const HOSTILE_USER = {
  sub: 'hostile-user-1',
  name: 'Hostile Test User',
  email: 'hostile-user@example.test',
} as const;

/** What the `access-denied-html` authorization response carries in error_description. */
export const HTML_ERROR_DESCRIPTION = '<script>alert(1)</script>';

/** The browser picks the behaviour of its next login with this cookie, set for HOSTILE_ISSUER. */
export const SCENARIO_COOKIE = 'scenario';

/** The token response carries an ID token that is wrong in this way. */
export const ID_TOKEN_SCENARIOS = [
  'bad-signature', // the signature's last byte flipped
  'unpublished-key', // signed with a key the JWKS does not hold, under its own kid
  'alg-none', // an unsecured JWT
  'wrong-iss', // our issuer with a trailing slash
  'wrong-aud', // another client
  'aud-array-wrong-azp', // [us, another client], azp = the other client
  'expired', // exp 10 minutes ago
  'iat-future', // iat 1 hour ahead
  'wrong-nonce',
  'no-sub',
] as const;

/** The token endpoint answers the code exchange this way. */
export const TOKEN_SCENARIOS = [
  'no-access-token',
  'token-type-mac',
  'invalid-grant', // 400 {"error":"invalid_grant"}
  'server-error', // 500 with an HTML page
  'not-json', // 200, application/json, a body that is not JSON
  'hang', // never answers
  'oversized-tokens', // valid, but tokens too large for the session cookies (over 3 × 4 KB sealed)
] as const;

/**
 * A valid login whose tokens are as large as Microsoft Entra ID's: an ID token and an access
 * token of about 2 KB each (many `groups`), and a 1.5 KB opaque refresh token. Together they
 * seal to more than one cookie holds. Refreshes of its grant stay that large.
 */
export const ENTRA_SIZE = 'entra-size';
/** A valid login whose tokens seal to about 4.5 KB: two cookies in cookie mode. */
export const MID_SIZE = 'mid-size';

/** The authorization endpoint's redirect back to the app is wrong in this way. */
export const AUTHORIZATION_RESPONSE_SCENARIOS = [
  'no-state',
  'other-state', // a state this browser never sent
  'wrong-iss-param', // iss = our issuer with a trailing slash (RFC 9207)
  'no-iss-param', // while discovery advertises authorization_response_iss_parameter_supported
  'access-denied', // error=access_denied
  'access-denied-html', // the same, with HTML_ERROR_DESCRIPTION
] as const;

export type IdTokenScenario = (typeof ID_TOKEN_SCENARIOS)[number];
export type TokenScenario = (typeof TOKEN_SCENARIOS)[number];
export type AuthorizationResponseScenario = (typeof AUTHORIZATION_RESPONSE_SCENARIOS)[number];
export type FailureScenario = IdTokenScenario | TokenScenario | AuthorizationResponseScenario;
export type Scenario = 'valid' | typeof ENTRA_SIZE | typeof MID_SIZE | FailureScenario;

export const FAILURE_SCENARIOS: readonly FailureScenario[] = [
  ...ID_TOKEN_SCENARIOS,
  ...TOKEN_SCENARIOS,
  ...AUTHORIZATION_RESPONSE_SCENARIOS,
];
export const SCENARIOS: readonly Scenario[] = ['valid', ENTRA_SIZE, MID_SIZE, ...FAILURE_SCENARIOS];

export function isScenario(value: string): value is Scenario {
  return (SCENARIOS as readonly string[]).includes(value);
}

/**
 * How the app must end each failed sign-in: the reason codes of lib/client/errors.ts. The
 * state scenarios end as missing_transaction, not state_mismatch: the callback finds the
 * transaction cookie by the response's `state` (app/auth/callback/route.ts), so a response with
 * no state, or a state this browser never sent, finds no transaction at all.
 */
export const EXPECTED_REASON: Record<FailureScenario, string> = {
  'bad-signature': 'id_token_invalid',
  'unpublished-key': 'id_token_invalid',
  'alg-none': 'id_token_invalid',
  'wrong-iss': 'id_token_invalid',
  'wrong-aud': 'id_token_invalid',
  'aud-array-wrong-azp': 'id_token_invalid',
  expired: 'id_token_invalid',
  'iat-future': 'id_token_invalid',
  'wrong-nonce': 'id_token_invalid',
  'no-sub': 'id_token_invalid',
  'no-access-token': 'token_request_failed',
  'token-type-mac': 'token_request_failed',
  'invalid-grant': 'token_request_failed',
  'server-error': 'token_request_failed',
  'not-json': 'token_request_failed',
  hang: 'provider_unavailable',
  'oversized-tokens': 'session_too_large',
  'no-state': 'missing_transaction',
  'other-state': 'missing_transaction',
  'wrong-iss-param': 'issuer_mismatch',
  'no-iss-param': 'issuer_mismatch',
  'access-denied': 'access_denied',
  'access-denied-html': 'access_denied',
};

/** How a refresh outage answers refresh_token grants (POST /control/refresh-outage). */
export type OutageMode =
  'unavailable' /* 503 temporarily_unavailable */ | 'hang'; /* never answers */
