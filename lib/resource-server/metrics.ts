/**
 * Rejection counters, per reason code, for this server process. Read them with
 * GET /api/metrics and a machine token holding `metrics:read` (docs/api.md, "Rejection counts").
 */
import type { AccessTokenRejection } from './access-token';
import type { Credential } from './bearer';

/**
 * Every reason /api refuses a request for, a closed set: what the credential looked like
 * (./bearer.ts), why the token was refused (./access-token.ts), and what the route's rule or the
 * API's own data said.
 */
export type ApiRejection =
  | Exclude<Credential, { kind: 'token' }>['reason']
  | AccessTokenRejection
  | 'insufficient_scope'
  | 'user_token_not_allowed'
  | 'machine_token_not_allowed'
  | 'permission_denied'
  | 'api_disabled'
  | 'introspection_busy';

const rejections = new Map<ApiRejection, number>();

export function countRejection(reason: ApiRejection): void {
  rejections.set(reason, (rejections.get(reason) ?? 0) + 1);
}

export function rejectionCounts(): Partial<Record<ApiRejection, number>> {
  return Object.fromEntries([...rejections].sort(([a], [b]) => a.localeCompare(b)));
}

/** Prometheus text exposition format. */
export function prometheusText(): string {
  const lines = [
    '# HELP api_rejections_total Requests to /api refused, by reason.',
    '# TYPE api_rejections_total counter',
  ];
  for (const [reason, count] of Object.entries(rejectionCounts()))
    lines.push(`api_rejections_total{reason="${reason}"} ${count}`);
  return `${lines.join('\n')}\n`;
}
