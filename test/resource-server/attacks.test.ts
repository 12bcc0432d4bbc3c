/**
 * Hostile tokens and requests against the real route handlers (GET /api/notes, scope notes:read),
 * with a real issuer on node:http (./issuer.ts) and real keys. Nothing is mocked but console.log,
 * which is captured to check the single `api_rejected` line per refusal.
 *
 * Every row asserts: the HTTP status; the RFC 6750 `error` in both WWW-Authenticate and the JSON
 * body (or the bare `Bearer realm="api"` challenge when no credential was offered); the logged
 * reason, exactly once; `Cache-Control: no-store`; and that neither the response nor any log line
 * contains the credential. The expected reasons are those of lib/resource-server (bearer.ts,
 * access-token.ts reasonOf, protect.ts).
 */
import { exportSPKI } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  API_AUDIENCE,
  apiRequest,
  b64json,
  b64url,
  bearer,
  captureLogs,
  CLOCK_TOLERANCE_S,
  decodeSegment,
  flipSignature,
  hmacKey,
  loadApi,
  newKeyPair,
  nowS,
  parseChallenge,
  segments,
  signSegments,
  snapshot,
  startIssuer,
  unsigned,
  type Api,
  type Issuer,
  type LogCapture,
  type RequestSpec,
} from './issuer';

// ---------------------------------------------------------------------------------------------
// The table.

type BearerError = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

type Expected =
  | { kind: 'accepted' }
  /** RFC 6750 §3.1: no credential at all, a bare challenge without an error code. */
  | { kind: 'bare'; reason: string }
  | { kind: 'error'; status: 400 | 401 | 403; error: BearerError; reason: string; scope?: string };

const accepted: Expected = { kind: 'accepted' };
const bare = (reason: string): Expected => ({ kind: 'bare', reason });
const invalidToken = (reason: string): Expected => ({ kind: 'error', status: 401, error: 'invalid_token', reason });
const invalidRequest = (reason: string): Expected => ({ kind: 'error', status: 400, error: 'invalid_request', reason });
const insufficientScope = (reason: string): Expected => ({ kind: 'error', status: 403, error: 'insufficient_scope', reason, scope: 'notes:read' });

interface Built {
  spec: RequestSpec;
  /** Credentials that must appear neither in the response nor in any log line. */
  secrets: string[];
}

interface Counters {
  jwks: number;
  introspection: number;
}

interface Attack {
  name: string;
  build(iss: Issuer): Promise<Built>;
  expected: Expected;
  /** Extra checks once the response is in (`before`: the issuer's counters before the request). */
  after?(iss: Issuer, before: Counters): void;
}

const withToken = (token: string): Built => ({ spec: { headers: [bearer(token)] }, secrets: [token] });
type Claims = Record<string, unknown>;
/** Claims are given as a function where they depend on the time, so they are computed when the row runs. */
const minted = (claims?: Claims | (() => Claims), header?: Record<string, unknown>, key?: (iss: Issuer) => CryptoKey) =>
  async (iss: Issuer) => withToken(await iss.mint(typeof claims === 'function' ? claims() : claims, header, key?.(iss)));
const forged = (iss: Issuer) => iss.keys.forge.privateKey;

/** Replaces the header or payload JSON of a signed token, keeping the old signature. */
function tamper(token: string, part: 'header' | 'payload', change: (json: Record<string, unknown>) => void): string {
  const s = segments(token);
  const json = decodeSegment(s[part]);
  change(json);
  return part === 'header' ? `${b64json(json)}.${s.payload}.${s.signature}` : `${s.header}.${b64json(json)}.${s.signature}`;
}

const noRequestTo = (path: string) => (iss: Issuer) => expect(iss.requestsTo(path), `requests to ${path}`).toBe(0);
const introspected = (iss: Issuer, before: Counters) => expect(iss.introspectionRequests).toBe(before.introspection + 1);
const atMostOneJwksRefetch = (iss: Issuer, before: Counters) => expect(iss.jwksRequests - before.jwks).toBeLessThanOrEqual(1);
const untouchedIssuer = (iss: Issuer, before: Counters) => {
  expect(iss.jwksRequests).toBe(before.jwks);
  expect(iss.introspectionRequests).toBe(before.introspection);
};

/** An OpenID Connect ID token from the real issuer: aud is the client, a nonce, no client_id, no scope. */
const idTokenClaims = () => ({ aud: 'app', azp: 'app', nonce: 'n-0S6_WzA2Mj', auth_time: nowS() - 5, client_id: undefined, scope: undefined, jti: undefined });

const NON_UTF8 = Uint8Array.from([0x7b, 0x22, 0x73, 0x75, 0x62, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x22, 0x7d]); // {"sub":"\xc3(\xff\xfe"}

const attacks: Attack[] = [
  // --- positive controls --------------------------------------------------------------------
  { name: 'a valid RS256 at+jwt access token (control)', build: minted(), expected: accepted },
  { name: 'typ "application/at+jwt" (RFC 9068 §2.1 allows the full media type)', build: minted({}, { typ: 'application/at+jwt' }), expected: accepted },
  { name: 'typ "AT+JWT" (media types are case-insensitive)', build: minted({}, { typ: 'AT+JWT' }), expected: accepted },
  { name: 'an ES256 token signed by the published EC key', build: minted({}, { alg: 'ES256', kid: 'es-1' }, (i) => i.keys.es.privateKey), expected: accepted },
  { name: 'exp 10 s ago, within the clock tolerance', build: minted(() => ({ iat: nowS() - 300, exp: nowS() - 10 })), expected: accepted },
  { name: 'nbf 10 s ahead, within the clock tolerance', build: minted(() => ({ nbf: nowS() + 10 })), expected: accepted },
  { name: 'several audiences including ours', build: minted({ aud: ['https://other.test', API_AUDIENCE] }), expected: accepted },
  {
    name: 'the scheme in lower case and two spaces before the token',
    build: async (iss) => {
      const token = await iss.mint();
      return { spec: { headers: [['Authorization', `bearer  ${token}`]] }, secrets: [token] };
    },
    expected: accepted,
  },

  // --- alg ----------------------------------------------------------------------------------
  ...['none', 'None', 'NONE', 'nOnE'].map(
    (alg): Attack => ({
      name: `alg "${alg}", unsigned`,
      build: async (iss) => withToken(unsigned({ alg, typ: 'at+jwt' }, iss.claims())),
      expected: invalidToken('alg_not_allowed'),
      after: untouchedIssuer,
    }),
  ),
  {
    name: 'alg "none" keeping the signature of a genuine token',
    build: async (iss) => withToken(tamper(await iss.mint(), 'header', (h) => (h.alg = 'none'))),
    expected: invalidToken('alg_not_allowed'),
  },
  {
    name: 'HS256 keyed with the issuer public key as PEM/SPKI (alg confusion)',
    build: async (iss) => {
      const secret = await hmacKey(await exportSPKI(iss.keys.rs.publicKey));
      return withToken(await iss.mint({}, { alg: 'HS256' }, secret));
    },
    expected: invalidToken('alg_not_allowed'),
    after: untouchedIssuer,
  },
  {
    name: 'HS256 keyed with the issuer public JWK JSON (alg confusion)',
    build: async (iss) => withToken(await iss.mint({}, { alg: 'HS256' }, await hmacKey(JSON.stringify(iss.keys.rs.jwk)))),
    expected: invalidToken('alg_not_allowed'),
  },
  {
    name: 'EdDSA, an asymmetric algorithm outside the pinned list',
    build: async (iss) => {
      const ed = await newKeyPair('EdDSA', 'ed-1');
      return withToken(await iss.mint({}, { alg: 'EdDSA', kid: 'ed-1' }, ed.privateKey));
    },
    expected: invalidToken('alg_not_allowed'),
  },
  {
    name: 'alg RS256 under the kid of the ES256 key (key/alg mismatch)',
    build: minted({}, { kid: 'es-1' }, forged),
    expected: invalidToken('unknown_kid'),
    after: atMostOneJwksRefetch,
  },

  // --- where the key comes from -------------------------------------------------------------
  { name: 'a kid not in the JWKS, signed by the forging key', build: minted({}, { kid: 'attacker-1' }, forged), expected: invalidToken('unknown_kid'), after: atMostOneJwksRefetch },
  { name: 'a kid with path traversal', build: minted({}, { kid: '../../../../etc/passwd' }, forged), expected: invalidToken('unknown_kid') },
  { name: 'the published kid, signed by the forging key', build: minted({}, {}, forged), expected: invalidToken('bad_signature') },
  {
    name: 'the key offered via jku (a URL on the issuer host serving the attacker JWKS)',
    build: async (iss) => withToken(await iss.mint({}, { kid: 'attacker-1', jku: `${iss.issuer}/attacker/jwks` }, forged(iss))),
    expected: invalidToken('unknown_kid'),
    after: noRequestTo('/attacker/jwks'),
  },
  {
    name: 'jku with the published kid',
    build: async (iss) => withToken(await iss.mint({}, { jku: `${iss.issuer}/attacker/jwks-2` }, forged(iss))),
    expected: invalidToken('bad_signature'),
    after: noRequestTo('/attacker/jwks-2'),
  },
  {
    name: 'the key offered via x5u',
    build: async (iss) => withToken(await iss.mint({}, { kid: 'attacker-1', x5u: `${iss.issuer}/attacker/cert.pem` }, forged(iss))),
    expected: invalidToken('unknown_kid'),
    after: noRequestTo('/attacker/cert.pem'),
  },
  {
    name: 'the attacker public key embedded as jwk, no kid',
    build: async (iss) => withToken(await iss.mint({}, { kid: undefined, jwk: iss.keys.forge.jwk }, forged(iss))),
    expected: invalidToken('bad_signature'),
  },
  {
    name: 'the attacker public key embedded as jwk, with its kid',
    build: async (iss) => withToken(await iss.mint({}, { kid: 'attacker-1', jwk: iss.keys.forge.jwk }, forged(iss))),
    expected: invalidToken('unknown_kid'),
  },
  {
    name: 'an x5c chain under the published kid',
    build: async (iss) => withToken(await iss.mint({}, { x5c: [Buffer.from('not a certificate').toString('base64')] }, forged(iss))),
    expected: invalidToken('bad_signature'),
  },

  // --- crit ---------------------------------------------------------------------------------
  {
    name: 'crit ["exp"] (a claim name is no extension), signed by the real key',
    build: minted({}, { crit: ['exp'], exp: nowS() + 300 }),
    expected: invalidToken('unsupported_crit'),
  },
  {
    name: 'an unknown crit extension, signed by the real key',
    build: minted({}, { crit: ['urn:example:must-understand'], 'urn:example:must-understand': true }),
    expected: invalidToken('unsupported_crit'),
  },
  { name: 'crit as an empty array', build: minted({}, { crit: [] }), expected: invalidToken('malformed') },

  // --- tampering ----------------------------------------------------------------------------
  {
    name: 'header tampered after signing (typ changed)',
    build: async (iss) => withToken(tamper(await iss.mint({}, { typ: 'JWT' }), 'header', (h) => (h.typ = 'at+jwt'))),
    expected: invalidToken('bad_signature'),
  },
  {
    name: 'payload tampered after signing (sub changed)',
    build: async (iss) => withToken(tamper(await iss.mint(), 'payload', (p) => (p.sub = 'bob'))),
    expected: invalidToken('bad_signature'),
  },
  {
    name: 'payload tampered after signing (scope widened)',
    build: async (iss) => withToken(tamper(await iss.mint({ scope: 'profile' }), 'payload', (p) => (p.scope = 'notes:read notes:write'))),
    expected: invalidToken('bad_signature'),
  },
  { name: 'signature with flipped bits', build: async (iss) => withToken(flipSignature(await iss.mint())), expected: invalidToken('bad_signature') },
  {
    name: 'signature stripped (header.payload.)',
    build: async (iss) => {
      const s = segments(await iss.mint());
      return withToken(`${s.header}.${s.payload}.`);
    },
    expected: invalidToken('bad_signature'),
  },

  // --- structure ----------------------------------------------------------------------------
  // Anything but three segments is opaque to the RS and goes to introspection (RFC 7662).
  {
    name: 'truncated to 2 segments',
    build: async (iss) => {
      const s = segments(await iss.mint());
      return withToken(`${s.header}.${s.payload}`);
    },
    expected: invalidToken('introspection_inactive'),
    after: introspected,
  },
  { name: '4 segments', build: async (iss) => withToken(`${await iss.mint()}.${b64url('x')}`), expected: invalidToken('introspection_inactive'), after: introspected },
  // RFC 7516 §7.1: five segments is a JWE; refused without asking the issuer.
  { name: '5 segments', build: async (iss) => withToken(`${await iss.mint()}.e30.e30`), expected: invalidToken('encrypted_token_unsupported') },
  {
    name: 'JWS JSON serialization in the Authorization header',
    build: async (iss) => {
      const s = segments(await iss.mint());
      const json = JSON.stringify({ protected: s.header, payload: s.payload, signature: s.signature });
      return { spec: { headers: [['Authorization', `Bearer ${json}`]] }, secrets: [json, s.signature] };
    },
    // bearer.ts checks for a comma before the b64token syntax, so the JSON's commas are
    // logged as multiple_credentials (not malformed_header); the answer is the same 400.
    expected: invalidRequest('multiple_credentials'),
    after: untouchedIssuer,
  },
  {
    name: 'JWS JSON serialization, base64url-encoded as one opaque token',
    build: async (iss) => {
      const s = segments(await iss.mint());
      return withToken(b64json({ protected: s.header, payload: s.payload, signature: s.signature }));
    },
    expected: invalidToken('introspection_inactive'),
  },
  {
    name: 'a payload that is not UTF-8 (validly signed)',
    build: async (iss) => withToken(await signSegments(b64json({ alg: 'RS256', typ: 'at+jwt', kid: 'rs-1' }), b64url(NON_UTF8), iss.keys.rs.privateKey)),
    expected: invalidToken('malformed'),
  },
  {
    name: 'a header that is not UTF-8',
    build: async (iss) => withToken(`${b64url(NON_UTF8)}.${b64json(iss.claims())}.${b64url('sig')}`),
    expected: invalidToken('malformed'),
  },
  {
    name: 'a payload that is a JSON array (validly signed)',
    build: async (iss) => withToken(await signSegments(b64json({ alg: 'RS256', typ: 'at+jwt', kid: 'rs-1' }), b64json([iss.claims()]), iss.keys.rs.privateKey)),
    expected: invalidToken('malformed'),
  },
  {
    name: 'a 9 KB token (validly signed), refused before parsing',
    build: async (iss) => {
      const token = await iss.mint({ padding: 'x'.repeat(6400) });
      expect(token.length).toBeGreaterThan(9 * 1000);
      expect(token.length).toBeLessThan(9.5 * 1024);
      return withToken(token);
    },
    expected: invalidToken('token_too_large'),
    after: untouchedIssuer,
  },

  // --- typ and ID tokens --------------------------------------------------------------------
  { name: 'typ "JWT"', build: minted({}, { typ: 'JWT' }), expected: invalidToken('wrong_typ') },
  { name: 'no typ', build: minted({}, { typ: undefined }), expected: invalidToken('wrong_typ') },
  { name: 'an ID token of the real issuer (no typ, aud = client, nonce)', build: minted(idTokenClaims, { typ: undefined }), expected: invalidToken('id_token_presented') },
  { name: 'an ID token of the real issuer with typ "JWT"', build: minted(idTokenClaims, { typ: 'JWT' }), expected: invalidToken('id_token_presented') },

  // --- claims -------------------------------------------------------------------------------
  { name: 'another audience', build: minted({ aud: 'https://other-api.test' }), expected: invalidToken('wrong_audience') },
  { name: 'several audiences, none ours', build: minted({ aud: ['https://a.test', 'https://b.test'] }), expected: invalidToken('wrong_audience') },
  { name: 'the audience with a trailing slash', build: minted({ aud: `${API_AUDIENCE}/` }), expected: invalidToken('wrong_audience') },
  { name: 'another issuer', build: minted({ iss: 'https://evil.example' }), expected: invalidToken('wrong_issuer') },
  { name: 'the issuer with a trailing slash', build: async (iss) => withToken(await iss.mint({ iss: `${iss.issuer}/` })), expected: invalidToken('wrong_issuer') },
  { name: 'the issuer spelled 127.0.0.1', build: async (iss) => withToken(await iss.mint({ iss: iss.issuer.replace('localhost', '127.0.0.1') })), expected: invalidToken('wrong_issuer') },
  { name: 'expired beyond the clock tolerance', build: minted(() => ({ iat: nowS() - 600, exp: nowS() - CLOCK_TOLERANCE_S - 30 })), expected: invalidToken('expired') },
  { name: 'nbf beyond the clock tolerance', build: minted(() => ({ nbf: nowS() + CLOCK_TOLERANCE_S + 90 })), expected: invalidToken('not_yet_valid') },
  { name: 'iat an hour in the future', build: minted(() => ({ iat: nowS() + 3600, exp: nowS() + 3900 })), expected: invalidToken('issued_in_future') },
  { name: 'iat two days ago (older than 24 h), exp still ahead', build: minted(() => ({ iat: nowS() - 2 * 86400 })), expected: invalidToken('too_old') },
  { name: 'no exp', build: minted({ exp: undefined }), expected: invalidToken('missing_exp') },
  { name: 'no iat', build: minted({ iat: undefined }), expected: invalidToken('missing_iat') },
  { name: 'no sub', build: minted({ sub: undefined }), expected: invalidToken('missing_sub') },
  { name: 'no client_id', build: minted({ client_id: undefined }), expected: invalidToken('missing_client_id') },
  { name: 'exp as a string', build: minted(() => ({ exp: String(nowS() + 300) })), expected: invalidToken('invalid_exp') },
  {
    name: 'sub a number (not a StringOrURI, RFC 7519 §4.1.2)',
    build: minted({ sub: 42 }),
    expected: invalidToken('invalid_sub'),
  },
  {
    name: 'sub null',
    build: minted({ sub: null }),
    expected: invalidToken('invalid_sub'),
  },
  {
    name: 'client_id a number (RFC 9068 §2.2: a string)',
    build: minted({ client_id: 42 }),
    expected: invalidToken('invalid_client_id'),
  },

  // --- where the credential travels (RFC 6750 §2) --------------------------------------------
  { name: 'no credential at all', build: async () => ({ spec: {}, secrets: [] }), expected: bare('missing_token') },
  { name: '"Bearer" and no token', build: async () => ({ spec: { headers: [['Authorization', 'Bearer']] }, secrets: [] }), expected: invalidRequest('empty_token') },
  {
    name: 'two Authorization headers',
    build: async (iss) => {
      const [a, b] = await Promise.all([iss.mint(), iss.mint({ sub: 'bob' })]);
      return { spec: { headers: [bearer(a), bearer(b)] }, secrets: [a, b] };
    },
    expected: invalidRequest('multiple_credentials'),
  },
  {
    name: '"Bearer a, Bearer b" in one header',
    build: async (iss) => {
      const [a, b] = await Promise.all([iss.mint(), iss.mint({ sub: 'bob' })]);
      return { spec: { headers: [['Authorization', `Bearer ${a}, Bearer ${b}`]] }, secrets: [a, b] };
    },
    expected: invalidRequest('multiple_credentials'),
  },
  {
    name: 'two tokens after one "Bearer"',
    build: async (iss) => {
      const [a, b] = await Promise.all([iss.mint(), iss.mint()]);
      return { spec: { headers: [['Authorization', `Bearer ${a} ${b}`]] }, secrets: [a, b] };
    },
    expected: invalidRequest('multiple_credentials'),
  },
  {
    name: 'a token with characters outside b64token',
    build: async (iss) => {
      const token = `${await iss.mint()}"<script>`;
      return { spec: { headers: [['Authorization', `Bearer ${token}`]] }, secrets: [token] };
    },
    expected: invalidRequest('malformed_header'),
  },
  {
    name: 'the token in the query string',
    build: async (iss) => {
      const token = await iss.mint();
      return { spec: { query: `access_token=${token}` }, secrets: [token] };
    },
    expected: invalidRequest('token_in_query'),
    after: untouchedIssuer,
  },
  {
    name: 'the token in the query string beside a valid header',
    build: async (iss) => {
      const token = await iss.mint();
      return { spec: { headers: [bearer(token)], query: `x=1&access_token=${token}` }, secrets: [token] };
    },
    expected: invalidRequest('token_in_query'),
  },
  {
    // A GET cannot carry a body, so this row is POST /api/notes.
    name: 'the token in a form body (POST)',
    build: async (iss) => {
      const token = await iss.mint();
      return {
        spec: { method: 'POST', headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: `text=hi&access_token=${token}` },
        secrets: [token],
      };
    },
    expected: invalidRequest('token_in_body'),
  },
  {
    name: 'a session cookie instead of a token',
    build: async () => {
      const cookie = `Fe26.2**${crypto.randomUUID()}${crypto.randomUUID()}`;
      return { spec: { headers: [['Cookie', `__Host-session=${cookie}`]] }, secrets: [cookie] };
    },
    expected: bare('cookie_instead_of_token'),
  },
  {
    name: 'the Basic scheme',
    build: async () => {
      const credentials = Buffer.from(`alice:${crypto.randomUUID()}`).toString('base64');
      return { spec: { headers: [['Authorization', `Basic ${credentials}`]] }, secrets: [credentials] };
    },
    expected: bare('other_scheme'),
  },
  {
    // RFC 6750 §3.1: a request with an unsupported authentication method gets no error code.
    name: 'a Digest credential (one credential of another scheme, with commas in its auth-params)',
    build: async () => {
      const digest = `Digest username="alice", realm="api", nonce="${crypto.randomUUID()}", uri="/api/notes"`;
      return { spec: { headers: [['Authorization', digest]] }, secrets: [] };
    },
    expected: bare('other_scheme'),
  },
  {
    name: 'a valid token under the DPoP scheme',
    build: async (iss) => {
      const token = await iss.mint();
      return { spec: { headers: [['Authorization', `DPoP ${token}`]] }, secrets: [token] };
    },
    expected: bare('other_scheme'),
  },

  // --- who may call, with which scopes --------------------------------------------------------
  { name: 'a machine token (sub === client_id) on a user route', build: minted({ sub: 'app', scope: 'notes:read' }), expected: insufficientScope('machine_token_not_allowed') },
  { name: 'a user token without notes:read', build: minted({ scope: 'notes:write profile' }), expected: insufficientScope('insufficient_scope') },
  { name: 'scope "NOTES:READ" (scopes are case-sensitive)', build: minted({ scope: 'NOTES:READ' }), expected: insufficientScope('insufficient_scope') },
  { name: 'scope as a JSON array instead of a string (RFC 9068 §2.2.3)', build: minted({ scope: ['notes:read'] }), expected: invalidToken('invalid_scope') },
  { name: 'scope as an object of scope names (only roles may be one)', build: minted({ scope: { 'notes:read': true } }), expected: invalidToken('invalid_scope') },
  { name: 'roles as a number (RFC 9068 §2.2.3.1: a list of strings)', build: minted({ roles: 7 }), expected: invalidToken('invalid_roles') },
  { name: 'roles as an array holding a non-string', build: minted({ roles: ['notes-writer', 1] }), expected: invalidToken('invalid_roles') },
  // OIDC Core §2, §3.1.3.6: claims only ID tokens carry, on a token that is otherwise a valid access token.
  { name: 'an at+jwt token that carries nonce (an ID-token claim)', build: minted({ nonce: 'n-0S6_WzA2Mj' }), expected: invalidToken('id_token_presented') },
  { name: 'an at+jwt token that carries at_hash', build: minted({ at_hash: '77QmUPtjPfzWtF2AnpK9RQ' }), expected: invalidToken('id_token_presented') },
  { name: 'an at+jwt token that carries c_hash', build: minted({ c_hash: 'LDktKdoQak3Pk0cnXxCltA' }), expected: invalidToken('id_token_presented') },
  // RFC 9449 §7.2, RFC 8705 §3: a sender-constrained token presented as a plain bearer token.
  { name: 'a DPoP-bound token (cnf.jkt) under the Bearer scheme', build: minted({ cnf: { jkt: '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I' } }), expected: invalidToken('sender_constrained_token') },
  { name: 'an mTLS-bound token (cnf x5t#S256) under the Bearer scheme', build: minted({ cnf: { 'x5t#S256': 'bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2' } }), expected: invalidToken('sender_constrained_token') },
  { name: 'scope "notes:readwrite" (no prefix matching)', build: minted({ scope: 'notes:readwrite' }), expected: insufficientScope('insufficient_scope') },
];

// ---------------------------------------------------------------------------------------------

let iss: Issuer;
let api: Api;
let logs: LogCapture;

beforeAll(async () => {
  iss = await startIssuer();
  api = await loadApi(iss.issuer);
  logs = captureLogs();
  // Discovery and the first JWKS fetch, so the rows start with a warm resource server.
  expect((await api.notes.GET(apiRequest({ headers: [bearer(await iss.mint())] }))).status).toBe(200);
});

afterAll(async () => {
  logs.restore();
  vi.unstubAllEnvs();
  await iss.close();
});

beforeEach(() => logs.reset());

describe('GET /api/notes refuses hostile tokens and requests', () => {
  it('has at least 30 rows', () => {
    expect(attacks.length).toBeGreaterThanOrEqual(30);
    expect(new Set(attacks.map((a) => a.name)).size).toBe(attacks.length);
  });

  for (const attack of attacks) {
    const test = it;
    test(attack.name, async () => {
      const built = await attack.build(iss);
      const before: Counters = { jwks: iss.jwksRequests, introspection: iss.introspectionRequests };
      const request = apiRequest(built.spec);
      const response = await (request.method === 'POST' ? api.notes.POST(request) : api.notes.GET(request));
      const { body: text, headers } = await snapshot(response);
      const body = JSON.parse(text) as Record<string, unknown>;
      const expected = attack.expected;

      // The credential is never echoed, nor logged; nothing is ever cached.
      for (const secret of built.secrets) {
        expect(text.includes(secret), 'the body echoes the credential').toBe(false);
        expect(headers.includes(secret), 'a header echoes the credential').toBe(false);
      }
      logs.expectNoLeak(...built.secrets);
      expect(response.headers.get('Cache-Control')).toBe('no-store');

      if (expected.kind === 'accepted') {
        expect(response.status, JSON.stringify(body)).toBe(200);
        expect(body.sub).toBe('alice');
        expect(logs.rejections()).toEqual([]);
      } else {
        const challenge = response.headers.get('WWW-Authenticate');
        if (expected.kind === 'bare') {
          expect(response.status).toBe(401);
          expect(challenge).toBe('Bearer realm="api"');
          expect(body.error).toBe('unauthorized');
        } else {
          expect(response.status, JSON.stringify(body)).toBe(expected.status);
          const params = parseChallenge(challenge);
          expect(params.realm).toBe('api');
          expect(params.error).toBe(expected.error);
          expect(body.error).toBe(expected.error);
          expect(params.scope).toBe(expected.scope);
          expect(body.scope).toBe(expected.scope);
        }
        const rejections = logs.rejections();
        expect(rejections, 'exactly one api_rejected line').toHaveLength(1);
        expect(rejections[0]).toMatchObject({ reason: expected.reason, status: response.status });
      }
      expect(logs.lines().filter((l) => l.event === 'api_unavailable')).toEqual([]);
      attack.after?.(iss, before);
    });
  }
});

describe('scopes are not roles: per-user permissions and ownership', () => {
  const post = (token: string, text: string) =>
    api.notes.POST(apiRequest({ method: 'POST', headers: [bearer(token), ['Content-Type', 'application/json']], body: JSON.stringify({ text }) }));
  const getNote = (token: string, id: string) => api.note.GET(apiRequest({ path: `/notes/${id}`, headers: [bearer(token)] }), { params: Promise.resolve({ id }) });

  it('refuses bob, whose validly signed token carries notes:write but not the writer role, with 403 forbidden (permission_denied)', async () => {
    const token = await iss.mint({ sub: 'bob', scope: 'notes:read notes:write', roles: ['notes-reader'] });
    const response = await post(token, 'from bob');

    expect(response.status).toBe(403);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ error: 'forbidden' });
    expect(logs.rejections()).toEqual([expect.objectContaining({ reason: 'permission_denied', status: 403 })]);
    logs.expectNoLeak(token);
    const list = (await (await api.notes.GET(apiRequest({ headers: [bearer(token)] }))).json()) as { notes: unknown[] };
    expect(list.notes).toEqual([]);
  });

  it("lets alice, who holds the writer role (RFC 9068 §2.2.3.1 roles), write (201); her note is 200 for her and 404 for bob", async () => {
    const alice = await iss.mint({ roles: ['notes-writer'] });
    const bob = await iss.mint({ sub: 'bob' });
    const created = await post(alice, 'from alice');
    expect(created.status).toBe(201);
    const { note } = (await created.json()) as { note: { id: string; text: string } };
    expect(note.text).toBe('from alice');

    const mine = await getNote(alice, note.id);
    expect(mine.status).toBe(200);
    expect(await mine.json()).toMatchObject({ sub: 'alice', note: { id: note.id, text: 'from alice' } });

    const theirs = await getNote(bob, note.id);
    expect(theirs.status).toBe(404);
    expect(theirs.headers.get('Cache-Control')).toBe('no-store');
    expect(await theirs.text()).not.toContain('from alice');

    const bobsList = (await (await api.notes.GET(apiRequest({ headers: [bearer(bob)] }))).json()) as { notes: unknown[] };
    expect(bobsList.notes).toEqual([]);
    expect(logs.rejections()).toEqual([]);
  });

  it('refuses an alice token without notes:write on POST with insufficient_scope', async () => {
    const response = await post(await iss.mint({ scope: 'notes:read' }), 'x');
    expect(response.status).toBe(403);
    expect(parseChallenge(response.headers.get('WWW-Authenticate'))).toMatchObject({ error: 'insufficient_scope', scope: 'notes:write' });
    expect(logs.rejections()).toEqual([expect.objectContaining({ reason: 'insufficient_scope', status: 403 })]);
  });
});

describe('caller kind confusion', () => {
  // Required: a token whose sub is not a string is invalid (RFC 7519 §4.1.2), not a machine token.
  it('does not let a user token with a numeric sub in as a machine on /api/stats', async () => {
    const token = await iss.mint({ sub: 42, scope: 'stats:read' });
    const response = await api.stats.GET(apiRequest({ path: '/stats', headers: [bearer(token)] }));
    expect(response.status).toBe(401);
  });
});
