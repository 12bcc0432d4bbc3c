/**
 * The resource server (the /api route handlers), loaded in a fresh module graph and configured
 * for the fake provider (./provider.ts), with what its tests need around it (a helper module, not
 * a test file). Used by the resource-server tests (test/resource-server/) and the token-shape
 * tests (test/providers/token-shapes/).
 *
 * - `loadApi(issuer)` stubs the environment for the provider at `issuer` (the audience and the
 *   introspection credentials the provider knows) and imports the route handlers afresh: the
 *   configuration and the resource server are module state.
 * - `apiRequest` and `bearer` build requests to /api; `snapshot` reads a response back.
 * - `captureLogs` records (and silences) console.log, where the resource server logs.
 * - `freezeClock` stops Date.now, which the resource server's caches read.
 */
import { createHash } from 'node:crypto';
import { expect, vi } from 'vitest';
import { API_AUDIENCE, RS_CLIENT_ID, RS_CLIENT_SECRET } from './provider.ts';

/** 40 characters; harmless for the resource server, which never reads it. */
export const SESSION_SECRET = 'test-session-secret-0123456789-abcdefghi';
/** The default of API_CLOCK_TOLERANCE (lib/config.ts). */
export const CLOCK_TOLERANCE_S = 30;
export const API_URL = 'http://localhost:3000/api';

/**
 * Freezes Date.now (only: `new Date()`, which jose uses for exp/iat, and the timers keep real
 * time) at the current instant; `advance` moves it. The caches in lib/resource-server read
 * Date.now, so cooldowns and TTLs are tested without real waits or timing flakiness.
 */
export function freezeClock(): {
  advance(ms: number): void;
  set(ms: number): void;
  restore(): void;
} {
  let now = Date.now();
  const spy = vi.spyOn(Date, 'now').mockImplementation(() => now);
  return {
    advance: (ms) => void (now += ms),
    set: (ms) => void (now = ms),
    restore: () => spy.mockRestore(),
  };
}

export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

// ---------------------------------------------------------------------------------------------
// The route handlers, loaded fresh: the configuration and the resource server are module state.

export type Api = {
  notes: typeof import('@/app/api/notes/route');
  note: typeof import('@/app/api/notes/[id]/route');
  me: typeof import('@/app/api/me/route');
  stats: typeof import('@/app/api/stats/route');
};

/**
 * Stubs the environment for `issuer` (plus `env`, where `undefined` unsets a variable) and
 * imports the route modules in a fresh module graph. Call vi.unstubAllEnvs() when done.
 */
export async function loadApi(
  issuer: string,
  env: Record<string, string | undefined> = {},
): Promise<Api> {
  vi.resetModules();
  const vars: Record<string, string | undefined> = {
    OIDC_ISSUER: issuer,
    API_AUDIENCE,
    API_INTROSPECTION_CLIENT_ID: RS_CLIENT_ID,
    API_INTROSPECTION_CLIENT_SECRET: RS_CLIENT_SECRET,
    SESSION_SECRET,
    API_ALGORITHMS: undefined,
    API_CLOCK_TOLERANCE: undefined,
    API_METRICS: undefined,
    ...env,
  };
  for (const [name, value] of Object.entries(vars)) vi.stubEnv(name, value);
  const [notes, note, me, stats] = await Promise.all([
    import('@/app/api/notes/route'),
    import('@/app/api/notes/[id]/route'),
    import('@/app/api/me/route'),
    import('@/app/api/stats/route'),
  ]);
  return { notes, note, me, stats };
}

// ---------------------------------------------------------------------------------------------
// Requests.

export interface RequestSpec {
  path?: string;
  method?: 'GET' | 'POST';
  /** Appended in order, so a name may repeat. */
  headers?: ReadonlyArray<readonly [string, string]>;
  /** Appended to the URL as is, without the leading '?'. */
  query?: string;
  body?: string;
}

export function apiRequest(spec: RequestSpec = {}): Request {
  const headers = new Headers();
  for (const [name, value] of spec.headers ?? []) headers.append(name, value);
  const url = `${API_URL}${spec.path ?? '/notes'}${spec.query === undefined ? '' : `?${spec.query}`}`;
  return new Request(url, { method: spec.method ?? 'GET', headers, body: spec.body });
}

export const bearer = (token: string): [string, string] => ['Authorization', `Bearer ${token}`];

// ---------------------------------------------------------------------------------------------
// Logs.

export interface LogLine {
  event?: string;
  reason?: string;
  status?: number;
  [field: string]: unknown;
}

export interface LogCapture {
  /** Every console.log line since the last reset, as written. */
  raw(): string[];
  /** The lines parsed as JSON (logEvent writes one JSON object per line). */
  lines(): LogLine[];
  /** The `api_rejected` lines. */
  rejections(): LogLine[];
  reset(): void;
  /** Asserts that no logged line contains any of `secrets`. */
  expectNoLeak(...secrets: string[]): void;
  restore(): void;
}

/** Spies on console.log (silencing it) and records what is logged. */
export function captureLogs(): LogCapture {
  const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const raw = () => spy.mock.calls.map((args) => args.map(String).join(' '));
  const lines = () =>
    raw().map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        return { event: '(not json)', line };
      }
    });
  return {
    raw,
    lines,
    rejections: () => lines().filter((l) => l.event === 'api_rejected'),
    reset: () => spy.mockClear(),
    expectNoLeak: (...secrets) => {
      for (const line of raw())
        for (const secret of secrets)
          if (secret)
            expect(line.includes(secret), `a log line contains a credential: ${line}`).toBe(false);
    },
    restore: () => spy.mockRestore(),
  };
}

// ---------------------------------------------------------------------------------------------
// Responses.

/** The response as text (body) and a flat string of all headers, for echo checks. */
export async function snapshot(response: Response): Promise<{ body: string; headers: string }> {
  const body = await response.clone().text();
  const headers = [...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
  return { body, headers };
}
