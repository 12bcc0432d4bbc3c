/**
 * The two tokens, decoded for people: the header and the claims of the ID token and of the
 * access token, each claim explained in one line, the differences between the two marked, and
 * the checks each one passed. For the dashboard (rendered on the server).
 *
 * Display only: decoding here checks nothing. The ID token was validated at sign-in
 * (lib/client/callback.ts); the access token is validated by /api on every call
 * (lib/resource-server/access-token.ts). Never the raw token or its signature: only the decoded
 * header and claims leave this module.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';

export type TokenKind = 'id' | 'access';

export interface ShownClaim {
  name: string;
  /** The value as JSON text (strings unquoted). */
  value: string;
  /** For NumericDate claims: the time, as an ISO 8601 string in UTC. */
  time?: string;
  /** One line: what the claim means in this token. */
  note: string;
  /** One of the claims that tell the two tokens apart. */
  differs: boolean;
}

export interface ShownToken {
  kind: TokenKind;
  /** `jwt`, or `opaque`: a reference /api introspects (RFC 7662), with nothing to decode. */
  format: 'jwt' | 'opaque';
  header: ShownClaim[];
  claims: ShownClaim[];
  /** exp − iat, in seconds, when both are there. */
  lifetimeS?: number;
  /** The token's length in characters (what it weighs in a session). */
  length: number;
}

/** The claims (and header parameters) that tell an ID token from an access token. */
const DIFFERENCES = new Set([
  'typ',
  'aud',
  'scope',
  'scp',
  'nonce',
  'client_id',
  'azp',
  'at_hash',
  'exp',
]);

const TIMES = new Set(['exp', 'iat', 'nbf', 'auth_time', 'updated_at']);

type Notes = Record<string, string | { id: string; access: string }>;

const HEADER_NOTES: Notes = {
  alg: {
    id: 'The signature algorithm. The app accepts only the one it pinned (OIDC_ID_TOKEN_SIGNING_ALG), never "none" or HMAC.',
    access:
      '/api accepts only asymmetric algorithms it lists (API_ALGORITHMS), never "none" or HMAC (RFC 8725 §3.1).',
  },
  kid: "Which key of the provider's JWKS signed it; an unknown kid makes the verifier refetch the JWKS.",
  typ: {
    id: 'An ID token is typed JWT, or not at all. /api refuses anything not typed as an access token.',
    access: 'at+jwt (RFC 9068 §2.1) says "access token": it cannot be mistaken for an ID token.',
  },
};

const CLAIM_NOTES: Notes = {
  iss: 'Who issued it. Must equal the configured issuer exactly.',
  sub: "The user's stable identifier at the provider (the same in both tokens).",
  aud: {
    id: 'Who it is for: this app (the client id). That is why /api refuses it.',
    access: 'Who it is for: the API (API_AUDIENCE). /api requires it; the app never reads it.',
  },
  exp: {
    id: 'Expiry. Checked once, at sign-in; the session, not the ID token, keeps you signed in.',
    access: 'Expiry. /api refuses it after this; the app refreshes it shortly before.',
  },
  iat: 'When it was issued.',
  nbf: 'Not valid before this time.',
  auth_time: 'When you last entered your credentials at the provider.',
  nonce: {
    id: 'The random value the app sent with this sign-in: it binds the ID token to it (OIDC Core §3.1.2.1). Access tokens have none.',
    access:
      'A nonce in an access token is unusual: /api refuses tokens carrying one (ID tokens do).',
  },
  at_hash:
    'Half of the SHA-256 of the access token issued with it: binds the two (OIDC Core §3.1.3.8).',
  c_hash: 'Half of the SHA-256 of the authorization code: binds the code to it.',
  azp: 'The authorized party: the client the token was issued to.',
  sid: "The provider's session id: back-channel logout names it to end this session.",
  jti: 'A unique id for this token.',
  scope: {
    id: 'Scopes in an ID token are unusual.',
    access:
      'What it may do at the API: /api checks the scope each route needs (403 insufficient_scope if missing).',
  },
  scp: 'What it may do at the API (Okta / Entra name for scope).',
  client_id: {
    id: 'The client, named as in an access token.',
    access:
      'The client the token was issued to (RFC 9068 §2.2). /api tells users from machines by it and by sub.',
  },
  roles: 'Roles the provider grants: /api lets holders of API_WRITER_ROLE write notes.',
  name: 'Your name, for display.',
  given_name: 'Your given name.',
  family_name: 'Your family name.',
  preferred_username: 'The username you go by at the provider.',
  email: 'Your email address.',
  email_verified: 'Whether the provider verified the email address.',
  acr: 'How strongly you authenticated (Authentication Context Class Reference).',
  amr: 'How you authenticated (password, OTP, …).',
  locale: 'Your locale.',
  updated_at: 'When your profile last changed at the provider.',
  picture: 'A picture of you.',
};

/** A time for people: `2026-11-30 06:40:12 UTC` (epoch milliseconds). */
export function readableTime(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

function note(notes: Notes, name: string, kind: TokenKind): string {
  const n = notes[name];
  if (n === undefined) return 'A claim this app does not use.';
  return typeof n === 'string' ? n : n[kind];
}

function show(name: string, value: unknown, notes: Notes, kind: TokenKind): ShownClaim {
  const claim: ShownClaim = {
    name,
    value: typeof value === 'string' ? value : JSON.stringify(value),
    note: note(notes, name, kind),
    differs: DIFFERENCES.has(name),
  };
  if (TIMES.has(name) && typeof value === 'number' && Number.isFinite(value)) {
    claim.time = new Date(value * 1000).toISOString();
  }
  return claim;
}

/** The token, decoded for display; `opaque` when it is not a JWT. */
export function explainToken(token: string, kind: TokenKind): ShownToken {
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token);
    payload = decodeJwt(token);
  } catch {
    return { kind, format: 'opaque', header: [], claims: [], length: token.length };
  }
  const { iat, exp } = payload;
  return {
    kind,
    format: 'jwt',
    header: Object.entries(header).map(([name, value]) => show(name, value, HEADER_NOTES, kind)),
    claims: Object.entries(payload).map(([name, value]) => show(name, value, CLAIM_NOTES, kind)),
    lifetimeS: typeof iat === 'number' && typeof exp === 'number' ? exp - iat : undefined,
    length: token.length,
  };
}

export interface Check {
  what: string;
  spec: string;
}

/** What the ID token passed at sign-in, in lib/client/callback.ts (oauth4webapi, then our own). */
export const ID_TOKEN_CHECKS: readonly Check[] = [
  { what: "signature, with a key from the provider's JWKS", spec: 'OIDC Core §3.1.3.7 (6)' },
  {
    what: 'alg is the pinned one (OIDC_ID_TOKEN_SIGNING_ALG)',
    spec: 'OIDC Core §3.1.3.7 (7), RFC 8725 §3.1',
  },
  { what: 'iss equals the configured issuer', spec: 'OIDC Core §3.1.3.7 (2)' },
  {
    what: 'aud contains the client id; with several audiences, azp is the client id',
    spec: 'OIDC Core §3.1.3.7 (3–5)',
  },
  { what: 'exp is in the future; iat is not in the future', spec: 'OIDC Core §3.1.3.7 (9–10)' },
  { what: 'nonce equals the one this sign-in sent', spec: 'OIDC Core §3.1.3.7 (11)' },
  {
    what: 'it came from the token endpoint, over TLS, for a code redeemed with the PKCE verifier',
    spec: 'OIDC Core §3.1.3.7 (6), RFC 7636 §4.5',
  },
];

/** What /api checks on the access token, on every request (lib/resource-server/access-token.ts). */
export const ACCESS_TOKEN_CHECKS: readonly Check[] = [
  {
    what: 'sent as Authorization: Bearer, nowhere else (no cookie, no query)',
    spec: 'RFC 6750 §2.1',
  },
  {
    what: "signature, with a key from the issuer's JWKS; an allowed asymmetric alg",
    spec: 'RFC 9068 §4, RFC 8725 §3.1',
  },
  { what: "typ is at+jwt (or the provider profile's marker)", spec: 'RFC 9068 §2.1, §4' },
  { what: 'iss is the issuer; aud contains API_AUDIENCE', spec: 'RFC 9068 §4' },
  { what: 'exp, nbf and iat, within the clock tolerance', spec: 'RFC 9068 §4' },
  { what: 'no ID-token claims (nonce, at_hash, c_hash)', spec: 'RFC 8725 §3.12' },
  {
    what: "the scope each route needs; then the API's own permissions",
    spec: 'RFC 6750 §3.1, RFC 9068 §5',
  },
];
