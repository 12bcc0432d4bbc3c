/**
 * What the setup doctor reports, and the small helpers every check shares. Erasable TypeScript
 * only, and no Next.js: `scripts/doctor.ts` runs this folder with Node's type stripping.
 */

import { ISSUER_TIMEOUT_MS } from '../issuer-http.ts';
export type Status = 'ok' | 'warn' | 'fail' | 'info';

/** One thing the doctor found, with the fix when it is not ok. */
export interface Finding {
  check: string;
  status: Status;
  detail: string;
  fix?: string;
}

export type Env = Record<string, string | undefined>;

export interface DoctorOptions {
  /** An access token to check (pasted, or the session's); otherwise the client-credentials one. */
  token?: string;
  /** Where `token` came from, for the report ("the pasted token", "your session's access token"). */
  tokenLabel?: string;
  /** Every outbound request but /api's own JWKS cache, which always uses the global fetch. */
  fetchImpl?: typeof fetch;
}

/** C0/C1 controls and bidirectional overrides: never echoed from a provider's answer. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/** Text from outside (a provider's answer, a token's claim) as one safe line of at most `max` characters. */
export function clean(value: unknown, max = 200): string {
  const text = (typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)))
    .replace(UNSAFE, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A token as it may be shown: its start and length, never the whole. */
export function abbreviate(token: string, keep = 10): string {
  return `${token.slice(0, Math.min(keep, Math.floor(token.length / 4)))}… (${token.length} characters)`;
}

/** Why a request failed, without the request: the network error code when there is one. */
export function networkError(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError')
      return `no answer within ${ISSUER_TIMEOUT_MS / 1000} s`;
    // fetch says "fetch failed"; the reason (ECONNREFUSED, a certificate error, …) is its cause.
    const cause = (err as { cause?: unknown }).cause;
    const code =
      typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
    const reason =
      typeof code === 'string' ? code : cause instanceof Error ? cause.message : undefined;
    return clean(reason ? `${err.message} (${reason})` : err.message);
  }
  return clean(String(err));
}

/** `a, b and c`. */
export function listOf(values: readonly string[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} and ${values.at(-1)}`;
}

/** Counts per status, and whether any check failed. */
export function summarize(findings: readonly Finding[]): Record<Status, number> {
  const counts: Record<Status, number> = { ok: 0, warn: 0, fail: 0, info: 0 };
  for (const f of findings) counts[f.status]++;
  return counts;
}
