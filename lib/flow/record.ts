/**
 * The flow inspector's record (/flow): what happened in this user's last sign-in, step by step,
 * with real values, then every refresh and the last /api calls. Kept on the server, in this
 * process's memory, bounded; never in the cookie (its budget is for the session).
 *
 * What it holds is single-use or public: the authorization request's parameters, the code
 * (shortened), the PKCE verifier (recorded only once the code was redeemed with it), the
 * provider's metadata and key ids, and sizes. Never a token, a refresh token or a secret.
 *
 * Per process: with several instances, /flow shows what the instance that serves it saw.
 */

export interface Discovery {
  issuer: string;
  endpoints: Record<string, string>;
  /** The keys of the JWKS the ID token was verified against, by `kid`. */
  keys: Array<{ kid?: string; kty?: string; alg?: string; use?: string }>;
}

export interface AuthorizationRequest {
  at: number;
  endpoint: string;
  /** Every parameter, as sent (code_challenge, state, nonce, scope, resource, …). */
  params: Array<[string, string]>;
}

export interface Callback {
  at: number;
  /** The code, shortened: enough to recognise, not to use (it was redeemed anyway). */
  code: string;
  state: string;
  stateMatched: boolean;
  /** RFC 9207 `iss`, when the provider sent it. */
  iss?: string;
}

export interface TokenRequest {
  grantType: 'authorization_code';
  clientAuthMethod: string;
  redirectUri: string;
  /** The PKCE verifier, recorded after the token endpoint accepted it. */
  codeVerifier: string;
  /** BASE64URL(SHA256(verifier)), computed here, and the challenge sent in step 2. */
  computedChallenge: string;
  sentChallenge?: string;
}

export interface TokenResponse {
  tokenType: string;
  expiresIn: number;
  scope: string;
  refreshToken: boolean;
}

export interface RefreshEvent {
  at: number;
  expiresIn: number;
  /** A new refresh token came back (rotation, RFC 9700 §4.14.2). */
  rotated: boolean;
}

export interface ApiCall {
  at: number;
  via: 'dashboard' | 'bff' | 'machine';
  method: string;
  path: string;
  status: number;
  wwwAuthenticate?: string;
}

export interface FlowRecord {
  authorization?: AuthorizationRequest;
  discovery?: Discovery;
  callback?: Callback;
  tokenRequest?: TokenRequest;
  tokenResponse?: TokenResponse;
  refreshes: RefreshEvent[];
  apiCalls: ApiCall[];
}

const MAX_RECORDS = 1_000;
const MAX_EVENTS = 20;
/** A sign-in not completed within this is forgotten. */
const PENDING_TTL_MS = 10 * 60_000;

/**
 * One record for the whole process: Next.js bundles each route separately, and a module's own
 * state could be one copy per bundle (the login route's, the callback's, the page's).
 */
const shared = ((globalThis as { [key: symbol]: unknown })[
  Symbol.for('next-oidc-reference.flow')
] ??= {
  /** Sign-ins under way, by `state`. */
  pending: new Map<string, { record: FlowRecord; startedAt: number }>(),
  /** Completed sign-ins, by the session's ID token (see flowKey), oldest first. */
  sessions: new Map<string, FlowRecord>(),
}) as {
  pending: Map<string, { record: FlowRecord; startedAt: number }>;
  sessions: Map<string, FlowRecord>;
};
const { pending, sessions } = shared;

/** What a record is found by: the session's ID token, unique to each sign-in (its signature). */
type Keyed = { idToken: string };

function flowKey(session: Keyed): string {
  return session.idToken.slice(session.idToken.lastIndexOf('.') + 1);
}

function bounded<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > MAX_RECORDS) map.delete(map.keys().next().value as K);
}

function pushBounded<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > MAX_EVENTS) list.splice(0, list.length - MAX_EVENTS);
}

/** Step 2: the authorization request, as the browser is sent to the provider. */
export function recordAuthorizationRequest(state: string, url: URL): void {
  const now = Date.now();
  for (const [k, v] of pending) if (now - v.startedAt > PENDING_TTL_MS) pending.delete(k);
  const record: FlowRecord = {
    authorization: {
      at: now,
      endpoint: `${url.origin}${url.pathname}`,
      params: [...url.searchParams],
    },
    refreshes: [],
    apiCalls: [],
  };
  bounded(pending, state, { record, startedAt: now });
}

/** Steps 1 and 3 to 5, once the callback succeeded and the session exists. */
export function recordSignIn(
  state: string,
  session: Keyed,
  steps: Pick<FlowRecord, 'discovery' | 'callback' | 'tokenRequest' | 'tokenResponse'>,
): void {
  const record = pending.get(state)?.record ?? { refreshes: [], apiCalls: [] };
  pending.delete(state);
  if (steps.tokenRequest && record.authorization) {
    steps.tokenRequest.sentChallenge = record.authorization.params.find(
      ([k]) => k === 'code_challenge',
    )?.[1];
  }
  bounded(sessions, flowKey(session), { ...record, ...steps });
}

/** A refresh: recorded, and the record also found by the new ID token from now on. */
export function recordRefresh(session: Keyed, refreshed: Keyed, event: RefreshEvent): void {
  const record = sessions.get(flowKey(session));
  if (!record) return;
  pushBounded(record.refreshes, event);
  if (flowKey(refreshed) !== flowKey(session)) bounded(sessions, flowKey(refreshed), record);
}

export function recordApiCall(session: Keyed, call: ApiCall): void {
  const record = sessions.get(flowKey(session));
  if (record) pushBounded(record.apiCalls, call);
}

export function readFlow(session: Keyed): FlowRecord | undefined {
  return sessions.get(flowKey(session));
}

/** Shortens a single-use value for display: its start and its length. */
export function shorten(value: string, keep = 8): string {
  return value.length <= keep ? value : `${value.slice(0, keep)}… (${value.length} characters)`;
}
