/**
 * The shared half of the attack table (./*.rows.ts, run by ./*.test.ts): what a row is, what it
 * expects, the helpers rows build their tokens with, the real issuer and route handlers each test
 * file starts (setUpResourceServer), and the runner that sends every row and checks its answer
 * (runAttacks). Not a test file. The issuer is real (node:http, the fake provider of ../../support/provider.ts), and so are the keys;
 * nothing is mocked but console.log, which is captured to check the single `api_rejected` line
 * per refusal.
 *
 * Every row asserts: the HTTP status; the RFC 6750 `error` in both WWW-Authenticate and the JSON
 * body (or the bare `Bearer realm="api"` challenge when no credential was offered); the logged
 * reason, exactly once; `Cache-Control: no-store`; and that neither the response nor any log line
 * contains the credential. The expected reasons are those of lib/resource-server (bearer.ts,
 * access-token.ts reasonOf, protect.ts).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseChallenge } from '../../support/challenge.ts';
import { b64json, decodeSegment, nowS, segments } from '../../support/jws.ts';
import { startFakeProvider, type FakeProvider } from '../../support/provider.ts';
import {
  apiRequest,
  bearer,
  captureLogs,
  loadApi,
  snapshot,
  type Api,
  type LogCapture,
  type RequestSpec,
} from '../../support/resource-server.ts';

// ---------------------------------------------------------------------------------------------
// What a row is and what it expects.

type BearerError = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

export type Expected =
  | { kind: 'accepted' }
  /** RFC 6750 §3.1: no credential at all, a bare challenge without an error code. */
  | { kind: 'bare'; reason: string }
  | { kind: 'error'; status: 400 | 401 | 403; error: BearerError; reason: string; scope?: string };

export const accepted: Expected = { kind: 'accepted' };
export const bare = (reason: string): Expected => ({ kind: 'bare', reason });
export const invalidToken = (reason: string): Expected => ({
  kind: 'error',
  status: 401,
  error: 'invalid_token',
  reason,
});
export const invalidRequest = (reason: string): Expected => ({
  kind: 'error',
  status: 400,
  error: 'invalid_request',
  reason,
});
export const insufficientScope = (reason: string): Expected => ({
  kind: 'error',
  status: 403,
  error: 'insufficient_scope',
  reason,
  scope: 'notes:read',
});

export interface Built {
  spec: RequestSpec;
  /** Credentials that must appear neither in the response nor in any log line. */
  secrets: string[];
}

export interface Counters {
  jwks: number;
  introspection: number;
}

export interface Attack {
  name: string;
  build(iss: FakeProvider): Promise<Built>;
  expected: Expected;
  /** Extra checks once the response is in (`before`: the issuer's counters before the request). */
  after?(iss: FakeProvider, before: Counters): void;
}

// ---------------------------------------------------------------------------------------------
// Building the rows' tokens.

export const withToken = (token: string): Built => ({
  spec: { headers: [bearer(token)] },
  secrets: [token],
});
type Claims = Record<string, unknown>;
/** Claims are given as a function where they depend on the time, so they are computed when the row runs. */
export const minted =
  (
    claims?: Claims | (() => Claims),
    header?: Record<string, unknown>,
    key?: (iss: FakeProvider) => CryptoKey,
  ) =>
  async (iss: FakeProvider) =>
    withToken(await iss.mint(typeof claims === 'function' ? claims() : claims, header, key?.(iss)));
export const forged = (iss: FakeProvider) => iss.keys.forge.privateKey;

/** Replaces the header or payload JSON of a signed token, keeping the old signature. */
export function tamper(
  token: string,
  part: 'header' | 'payload',
  change: (json: Record<string, unknown>) => void,
): string {
  const s = segments(token);
  const json = decodeSegment(s[part]);
  change(json);
  return part === 'header'
    ? `${b64json(json)}.${s.payload}.${s.signature}`
    : `${s.header}.${b64json(json)}.${s.signature}`;
}

export const noRequestTo = (path: string) => (iss: FakeProvider) =>
  expect(iss.requestsTo(path), `requests to ${path}`).toBe(0);
export const introspected = (iss: FakeProvider, before: Counters) =>
  expect(iss.introspectionRequests()).toBe(before.introspection + 1);
export const atMostOneJwksRefetch = (iss: FakeProvider, before: Counters) =>
  expect(iss.jwksRequests() - before.jwks).toBeLessThanOrEqual(1);
export const untouchedIssuer = (iss: FakeProvider, before: Counters) => {
  expect(iss.jwksRequests()).toBe(before.jwks);
  expect(iss.introspectionRequests()).toBe(before.introspection);
};

/** An OpenID Connect ID token from the real issuer: aud is the client, a nonce, no client_id, no scope. */
export const idTokenClaims = () => ({
  aud: 'app',
  azp: 'app',
  nonce: 'n-0S6_WzA2Mj',
  auth_time: nowS() - 5,
  client_id: undefined,
  scope: undefined,
  jti: undefined,
});

export const NON_UTF8 = Uint8Array.from([
  0x7b, 0x22, 0x73, 0x75, 0x62, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x22, 0x7d,
]); // {"sub":"\xc3(\xff\xfe"}

// ---------------------------------------------------------------------------------------------
// The real issuer and route handlers, one set per test file.

export let iss: FakeProvider;
export let api: Api;
export let logs: LogCapture;

/**
 * Starts a real issuer and loads the real route handlers against it before the file's tests,
 * captures console.log (cleared before each test), and stops it all afterwards.
 */
export function setUpResourceServer(): void {
  beforeAll(async () => {
    iss = await startFakeProvider({ publish: ['rs', 'es'] });
    api = await loadApi(iss.issuer);
    logs = captureLogs();
    // Discovery and the first JWKS fetch, so the rows start with a warm resource server.
    expect((await api.notes.GET(apiRequest({ headers: [bearer(await iss.mint())] }))).status).toBe(
      200,
    );
  });

  afterAll(async () => {
    logs.restore();
    vi.unstubAllEnvs();
    await iss.close();
  });

  beforeEach(() => logs.reset());
}

// ---------------------------------------------------------------------------------------------
// The runner.

/** The name of the describe every row runs in (./all-rows.test.ts checks the whole table under it). */
export const TABLE = 'GET /api/notes refuses hostile tokens and requests';

/** One test per row: sends it to GET (or POST) /api/notes and checks the answer and the log. */
export function runAttacks(attacks: Attack[]): void {
  describe(TABLE, () => {
    for (const attack of attacks) {
      const test = it;
      test(attack.name, async () => {
        const built = await attack.build(iss);
        const before: Counters = {
          jwks: iss.jwksRequests(),
          introspection: iss.introspectionRequests(),
        };
        const request = apiRequest(built.spec);
        const response = await (request.method === 'POST'
          ? api.notes.POST(request)
          : api.notes.GET(request));
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
}
