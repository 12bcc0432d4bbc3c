/**
 * The attack lab: each card names a common mistake from the OAuth 2.0 / OpenID Connect
 * literature and sends that attack, for real, over HTTP against this app's own endpoints, as an
 * attacker would. It imports none of the code it attacks (ESLint keeps lib/lab away from the
 * client, the session and the resource server): what it shows is what the app answered.
 *
 * The reason code the app logged comes over HTTP too: for /api, from the difference in
 * GET /api/metrics (read with the local IdP's machine client) before and after the attack; for
 * /auth, from the error page's `reason`.
 */
import {
  base64url,
  decodeJwt,
  decodeProtectedHeader,
  exportSPKI,
  importJWK,
  SignJWT,
  UnsecuredJWT,
  type JWK,
} from 'jose';
import { appUrl, fetchApp } from '../origin';
import { signInAs } from './browser';

/** What the attacker has: what this signed-in user's own browser and session hold. */
export interface LabMaterial {
  idToken: string;
  accessToken: string;
  /** The Cookie header the browser sent to the lab (the user's own session cookies). */
  cookies: string;
  issuer: string;
  /** The local IdP's machine client, when the app runs against it (machine tokens, metrics). */
  machineClient?: { id: string; secret: string };
  /** The session mode (SESSION_STORE): what sign-out can do to a copied cookie depends on it. */
  sessionMode: 'cookie' | 'memory' | 'redis';
}

export interface LabOutcome {
  /** The request, described (tokens named, never shown). */
  sent: string;
  status: number;
  location?: string;
  wwwAuthenticate?: string;
  body?: string;
  /**
   * The reason code the app logged, when it can be seen over HTTP. For /api: every reason whose
   * counter went up while the attack ran (other traffic at the same time may add its own).
   */
  reason?: string;
  /** The attack was refused as the card expects. */
  stopped: boolean;
  /** When it is not stopped by design, and documented: why (e.g. cookie mode's sign-out). */
  limitation?: string;
}

export interface Attack {
  id: string;
  title: string;
  /** The mistake, in one line, and where the literature names it. */
  mistake: string;
  reference: string;
  /** What the app must answer. */
  expected: string;
  /** The card runs only against the local IdP (its machine client, demo accounts, dev tokens). */
  needs?: 'local-idp';
  run(material: LabMaterial): Promise<LabOutcome>;
}

const TIMEOUT_MS = 8_000;

/** A request from the lab to this app, as an outsider: redirects are shown, not followed. */
function send(path: string, init: RequestInit = {}): Promise<Response> {
  return fetchApp(path, { ...init, redirect: 'manual' });
}

async function outcome(
  sent: string,
  response: Response,
  stopped: (r: Response) => boolean,
  reason?: string,
): Promise<LabOutcome> {
  const body = (await response.text().catch(() => '')).slice(0, 600);
  const location = response.headers.get('location') ?? undefined;
  return {
    sent,
    status: response.status,
    location: location ? new URL(location, appUrl('/')).href : undefined,
    wwwAuthenticate: response.headers.get('www-authenticate') ?? undefined,
    body: body || undefined,
    reason:
      reason ??
      (location
        ? (new URL(location, appUrl('/')).searchParams.get('reason') ?? undefined)
        : undefined),
    stopped: stopped(response),
  };
}

// --- tokens an attacker can make --------------------------------------------------------------

const discovered = new Map<string, Promise<{ token_endpoint: string; jwks_uri: string }>>();

/** The issuer's discovery document (public), fetched once per process. */
function issuerMetadata(issuer: string): Promise<{ token_endpoint: string; jwks_uri: string }> {
  let metadata = discovered.get(issuer);
  if (!metadata) {
    metadata = fetch(new URL('/.well-known/openid-configuration', issuer), {
      signal: AbortSignal.timeout(TIMEOUT_MS),
    }).then((r) => r.json());
    metadata.catch(() => discovered.delete(issuer)); // a failure is not remembered
    discovered.set(issuer, metadata);
  }
  return metadata;
}

async function machineToken(material: LabMaterial, scope: string): Promise<string> {
  const client = material.machineClient;
  if (!client) throw new Error("needs the local IdP's machine client");
  const metadata = await issuerMetadata(material.issuer);
  const response = await fetch(metadata.token_endpoint, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${btoa(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`)}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const { access_token } = (await response.json()) as { access_token?: string };
  if (!access_token) throw new Error(`the machine client got no token (${response.status})`);
  return access_token;
}

/** The issuer's first signing key, as published in its JWKS (public: anyone can fetch it). */
async function publishedKey(issuer: string): Promise<JWK> {
  const metadata = await issuerMetadata(issuer);
  const { keys } = (await (
    await fetch(metadata.jwks_uri, { signal: AbortSignal.timeout(TIMEOUT_MS) })
  ).json()) as { keys: JWK[] };
  const key = keys.find((k) => k.kty === 'RSA' || k.kty === 'EC');
  if (!key) throw new Error('the JWKS has no RSA or EC key');
  return key;
}

/** A token the local IdP signs for the lab on request (idp/server.ts, /dev/lab-tokens/…). */
async function labToken(issuer: string, kind: 'expired' | 'other-audience'): Promise<string> {
  const response = await fetch(new URL(`/dev/lab-tokens/${kind}`, issuer), {
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const { access_token } = (await response.json()) as { access_token?: string };
  if (!access_token) throw new Error(`the IdP gave no ${kind} token (${response.status})`);
  return access_token;
}

// --- the reason over HTTP: /api's rejection counters ------------------------------------------

async function rejectionCounts(token: string): Promise<Record<string, number>> {
  const response = await send('/api/metrics', {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
  });
  if (!response.ok) return {};
  return ((await response.json()) as { rejections?: Record<string, number> }).rejections ?? {};
}

/** Runs a request to /api and names the reason code whose counter went up, when it can. */
async function atApi(
  material: LabMaterial,
  sent: string,
  request: () => Promise<Response>,
  stopped: (r: Response) => boolean,
): Promise<LabOutcome> {
  const metricsToken = material.machineClient
    ? await machineToken(material, 'metrics:read').catch(() => undefined)
    : undefined;
  const before = metricsToken ? await rejectionCounts(metricsToken) : {};
  const response = await request();
  const after = metricsToken ? await rejectionCounts(metricsToken) : {};
  const reasons = Object.keys(after).filter((r) => (after[r] ?? 0) > (before[r] ?? 0));
  return outcome(sent, response, stopped, reasons.length ? reasons.join(', ') : undefined);
}

const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });
const is =
  (...statuses: number[]) =>
  (r: Response) =>
    statuses.includes(r.status);

// --- sign-in: a pending transaction the attacker starts, to tamper with its callback ----------

async function pendingSignIn(): Promise<{ state: string; cookie: string }> {
  const response = await send('/auth/login?returnTo=%2Flab');
  const location = response.headers.get('location');
  const state = location ? new URL(location).searchParams.get('state') : null;
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';', 1)[0])
    .join('; ');
  if (!state || !cookie)
    throw new Error(`/auth/login did not start a sign-in (${response.status})`);
  return { state, cookie };
}

/** Flips one character in the middle of each session cookie's value. */
function tampered(cookies: string): string {
  return cookies
    .split(/;\s*/)
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (!/session/.test(name) || value.length < 10) return pair;
      const i = Math.floor(value.length / 2);
      return `${name}=${value.slice(0, i)}${value[i] === 'A' ? 'B' : 'A'}${value.slice(i + 1)}`;
    })
    .join('; ');
}

export const ATTACKS: readonly Attack[] = [
  {
    id: 'id-token-at-api',
    title: 'The ID token sent to the API',
    mistake:
      'An API that accepts any valid JWT from the issuer takes the ID token, which is for the client, as an access token.',
    reference: 'RFC 9068 §4, RFC 8725 §3.11, OIDC Core §2',
    expected: '401 invalid_token (id_token_presented)',
    run: (m) =>
      atApi(
        m,
        'GET /api/me, Authorization: Bearer <your ID token>',
        () => send('/api/me', bearer(m.idToken)),
        is(401),
      ),
  },
  {
    id: 'no-token',
    title: 'No token at all',
    mistake: 'An API that answers without credentials, or without saying how to authenticate.',
    reference: 'RFC 6750 §3, §3.1',
    expected: '401 with WWW-Authenticate: Bearer and no error code',
    run: (m) =>
      atApi(
        m,
        'GET /api/me, no Authorization header',
        () => send('/api/me'),
        (r) => r.status === 401 && /^Bearer /.test(r.headers.get('www-authenticate') ?? ''),
      ),
  },
  {
    id: 'token-in-query',
    title: 'The access token in the URL',
    mistake: 'Tokens in query strings end up in logs, history and Referer headers.',
    reference: 'RFC 6750 §2.3, §5.3; RFC 9700 §4.3.2',
    expected: '400 invalid_request',
    run: (m) =>
      atApi(
        m,
        'GET /api/me?access_token=<your access token>',
        () => send(`/api/me?access_token=${encodeURIComponent(m.accessToken)}`),
        is(400),
      ),
  },
  {
    id: 'expired-token',
    title: 'An expired access token',
    mistake: 'An API that checks the signature but not exp: a leaked token works forever.',
    reference: 'RFC 9068 §4, RFC 7519 §4.1.4',
    expected: '401 invalid_token',
    needs: 'local-idp',
    run: async (m) => {
      const token = await labToken(m.issuer, 'expired');
      return atApi(
        m,
        'GET /api/me, Authorization: Bearer <a token the IdP signed, expired ten minutes ago>',
        () => send('/api/me', bearer(token)),
        is(401),
      );
    },
  },
  {
    id: 'other-audience',
    title: 'A token for another API',
    mistake:
      'An API that does not check aud accepts tokens the same issuer made for any other API.',
    reference: 'RFC 9068 §4, RFC 8707, RFC 9700 §4.10',
    expected: '401 invalid_token (wrong_audience)',
    needs: 'local-idp',
    run: async (m) => {
      const token = await labToken(m.issuer, 'other-audience');
      return atApi(
        m,
        'GET /api/me, Authorization: Bearer <a token the IdP signed for https://other-api.example/>',
        () => send('/api/me', bearer(token)),
        is(401),
      );
    },
  },
  {
    id: 'missing-scope',
    title: 'A token without the scope the route needs',
    mistake: 'An API that checks the signature and stops there: any valid token may do anything.',
    reference: 'RFC 6750 §3.1, RFC 9068 §5',
    expected: '403 insufficient_scope, naming the scope',
    run: (m) =>
      atApi(
        m,
        'GET /api/stats, Authorization: Bearer <your access token> (no stats:read)',
        () => send('/api/stats', bearer(m.accessToken)),
        is(403),
      ),
  },
  {
    id: 'machine-on-user-endpoint',
    title: 'A machine token on a user endpoint',
    mistake: "An API that treats a client-credentials token (no user) like a user's token.",
    reference: 'RFC 9068 §2.2, RFC 6749 §4.4',
    expected: '403: this endpoint does not accept machine tokens',
    needs: 'local-idp',
    run: async (m) => {
      const token = await machineToken(m, 'stats:read');
      return atApi(
        m,
        'GET /api/notes, Authorization: Bearer <a client-credentials token>',
        () => send('/api/notes', bearer(token)),
        is(403),
      );
    },
  },
  {
    id: 'alg-none',
    title: 'alg: none',
    mistake: "A verifier that believes the token's own header and accepts an unsigned token.",
    reference: 'RFC 8725 §2.1, §3.1',
    expected: '401 invalid_token',
    run: (m) => {
      const forged = new UnsecuredJWT({
        ...decodeJwt(m.accessToken),
        scope: 'notes:read notes:write stats:read metrics:read',
      }).encode();
      return atApi(
        m,
        "GET /api/stats, Authorization: Bearer <your access token's claims, more scopes, alg: none>",
        () => send('/api/stats', bearer(forged)),
        is(401),
      );
    },
  },
  {
    id: 'hs256-public-key',
    title: 'HS256 keyed with the public key',
    mistake:
      "A verifier that lets the token pick HMAC, keyed with the issuer's public key, which anyone can fetch.",
    reference: 'RFC 8725 §2.1, §3.1, §3.2',
    expected: '401 invalid_token',
    run: async (m) => {
      const jwk = await publishedKey(m.issuer);
      const pem = await exportSPKI(
        (await importJWK(jwk, jwk.alg ?? 'RS256', { extractable: true })) as CryptoKey,
      );
      const forged = await new SignJWT({
        ...decodeJwt(m.accessToken),
        scope: 'notes:read notes:write stats:read',
      })
        .setProtectedHeader({ ...decodeProtectedHeader(m.accessToken), alg: 'HS256' })
        .sign(new TextEncoder().encode(pem));
      return atApi(
        m,
        "GET /api/stats, Authorization: Bearer <claims + stats:read, HS256 keyed with the issuer's public key (fetched from its JWKS)>",
        () => send('/api/stats', bearer(forged)),
        is(401),
      );
    },
  },
  {
    id: 'edited-claims',
    title: 'Claims edited, signature kept',
    mistake: 'Reading the claims without verifying the signature (decode instead of verify).',
    reference: 'RFC 7519 §7.2, RFC 8725 §3.4',
    expected: '401 invalid_token',
    run: (m) => {
      const [header, payload, signature] = m.accessToken.split('.');
      const claims = {
        ...(JSON.parse(new TextDecoder().decode(base64url.decode(payload!))) as object),
        scope: 'notes:read notes:write stats:read',
      };
      const forged = `${header}.${base64url.encode(JSON.stringify(claims))}.${signature}`;
      return atApi(
        m,
        'GET /api/stats, Authorization: Bearer <your access token with stats:read added, the signature unchanged>',
        () => send('/api/stats', bearer(forged)),
        is(401),
      );
    },
  },
  {
    id: 'foreign-state',
    title: 'A callback this browser never asked for',
    mistake:
      "A client that accepts any authorization response: login CSRF, an attacker's code in your session.",
    reference: 'RFC 6749 §10.12, RFC 9700 §4.7',
    expected: 'to the error page (missing_transaction), no session',
    run: async () => {
      const response = await send('/auth/callback?code=attacker-code&state=attacker-state');
      return outcome(
        'GET /auth/callback?code=…&state=<a state no sign-in here started>',
        response,
        (r) => /\/auth\/error\?/.test(r.headers.get('location') ?? ''),
      );
    },
  },
  {
    id: 'wrong-iss',
    title: 'An authorization response from another issuer',
    mistake:
      'A client with several providers that cannot tell which one answered: the mix-up attack.',
    reference: 'RFC 9207 §2.4, RFC 9700 §4.4',
    expected: 'to the error page (issuer_mismatch)',
    run: async () => {
      const { state, cookie } = await pendingSignIn();
      const response = await send(
        `/auth/callback?code=x&state=${encodeURIComponent(state)}&iss=${encodeURIComponent('https://attacker.example')}`,
        { headers: { Cookie: cookie } },
      );
      return outcome(
        "GET /auth/callback with this sign-in's state and cookie, iss=https://attacker.example",
        response,
        (r) => /reason=issuer_mismatch/.test(r.headers.get('location') ?? ''),
      );
    },
  },
  {
    id: 'injected-code',
    title: 'An injected authorization code',
    mistake:
      "A code stolen from another sign-in, redeemed in this one: PKCE binds each code to its sign-in's verifier.",
    reference: 'RFC 7636 §1, RFC 9700 §4.5',
    expected: 'to the error page: the provider refuses the code (no session)',
    run: async (m) => {
      const { state, cookie } = await pendingSignIn();
      const response = await send(
        `/auth/callback?code=stolen-code&state=${encodeURIComponent(state)}&iss=${encodeURIComponent(m.issuer)}`,
        { headers: { Cookie: cookie } },
      );
      return outcome(
        "GET /auth/callback with this sign-in's state and cookie, and a code it was not issued",
        response,
        (r) =>
          /\/auth\/error\?/.test(r.headers.get('location') ?? '') &&
          !r.headers.getSetCookie().some((c) => /session=[^;]/.test(c)),
      );
    },
  },
  {
    id: 'replayed-code',
    title: 'A replayed authorization code',
    mistake: 'A code redeemed twice: a code intercepted after use must not work again.',
    reference: 'RFC 6749 §4.1.2, §10.5; RFC 9700 §4.5',
    expected: 'to the error page: the provider refuses the second redemption',
    needs: 'local-idp',
    run: async (m) => {
      // A second browser signs in as bob, and the attacker replays its callback, cookie included.
      const { callbackPath, transactionCookies } = await signInAs('bob', m.issuer);
      const response = await send(callbackPath, { headers: { Cookie: transactionCookies } });
      return outcome(
        'GET /auth/callback again: the same code, state and transaction cookie as a sign-in that just succeeded',
        response,
        (r) => /\/auth\/error\?/.test(r.headers.get('location') ?? ''),
      );
    },
  },
  {
    id: 'replayed-cookie',
    title: 'A session cookie replayed after sign-out',
    mistake: "A sign-out that only deletes the browser's cookie: a copy taken before still works.",
    reference: 'OWASP ASVS V7.4, RFC 9700 §4.14 (revocation)',
    expected:
      'store mode: sent to sign in; cookie mode: still works until the session ends (documented)',
    needs: 'local-idp',
    run: async (m) => {
      const browser = await signInAs('bob', m.issuer);
      const copy = browser.app.header();
      await send('/auth/logout', {
        method: 'POST',
        headers: { Cookie: copy, Origin: appUrl('/').origin },
      });
      const response = await send('/dashboard', { headers: { Cookie: copy } });
      const result = await outcome(
        "GET /dashboard with a copy of bob's session cookie, taken before he signed out",
        response,
        (r) => /\/auth\/login/.test(r.headers.get('location') ?? ''),
      );
      if (!result.stopped && m.sessionMode === 'cookie') {
        result.limitation =
          'Cookie mode: the server keeps nothing, so a copy of the cookie works until its idle or absolute lifetime ends (the refresh token is revoked). Store mode (SESSION_STORE=redis) refuses it.';
      }
      return result;
    },
  },
  {
    id: 'open-redirect',
    title: 'An open redirect through returnTo',
    mistake:
      'A client that sends users wherever returnTo says, to a phishing page after sign-in or sign-out.',
    reference: 'RFC 9700 §4.11',
    expected: "to this app's own signed-out page, not the attacker's",
    run: async () => {
      const response = await send('/auth/logout?returnTo=https%3A%2F%2Fattacker.example%2F', {
        method: 'POST',
        headers: { Origin: appUrl('/').origin },
      });
      return outcome(
        'POST /auth/logout?returnTo=https://attacker.example/ (no session)',
        response,
        (r) => new URL(r.headers.get('location') ?? '/', appUrl('/')).origin === appUrl('/').origin,
      );
    },
  },
  {
    id: 'tampered-cookie',
    title: 'A tampered session cookie',
    mistake:
      'A session cookie the server trusts without verifying it (signed-only, or not at all).',
    reference: 'OWASP ASVS V7, RFC 6265 §8',
    expected: 'sent to sign in, the cookie deleted',
    run: async (m) => {
      const response = await send('/dashboard', { headers: { Cookie: tampered(m.cookies) } });
      return outcome(
        'GET /dashboard with your session cookie, one character changed',
        response,
        (r) => /\/auth\/login/.test(r.headers.get('location') ?? ''),
      );
    },
  },
  {
    id: 'cross-site-sign-out',
    title: 'A cross-site POST to sign-out',
    mistake: 'A state-changing endpoint that any site can trigger with your cookies (CSRF).',
    reference: 'OWASP CSRF Prevention, OpenID RP-Initiated Logout §2',
    expected: '403, still signed in',
    run: async (m) => {
      const response = await send('/auth/logout', {
        method: 'POST',
        headers: { Cookie: m.cookies, Origin: 'https://attacker.example' },
      });
      return outcome(
        'POST /auth/logout with your cookies, Origin: https://attacker.example',
        response,
        is(403),
      );
    },
  },
  {
    id: 'bff-without-header',
    title: 'A BFF call without the CSRF header',
    mistake: 'A cookie-authenticated API that a cross-site form or image can call.',
    reference: 'OAuth 2.0 for Browser-Based Apps §6.1 (BFF), OWASP CSRF Prevention',
    expected: '403',
    run: async (m) => {
      const response = await send('/bff/notes', {
        headers: { Cookie: m.cookies, 'Sec-Fetch-Site': 'same-origin' },
      });
      return outcome(
        'GET /bff/notes with your cookies, without the x-bff-request header',
        response,
        is(403),
      );
    },
  },
];
