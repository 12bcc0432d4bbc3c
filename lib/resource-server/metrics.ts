/**
 * Rejection counters, per reason code, for this server process. Read them with
 * GET /api/metrics and a machine token holding `metrics:read` (docs/api.md, "Rejection counts").
 */
const rejections = new Map<string, number>();

export function countRejection(reason: string): void {
  rejections.set(reason, (rejections.get(reason) ?? 0) + 1);
}

export function rejectionCounts(): Record<string, number> {
  return Object.fromEntries([...rejections].sort(([a], [b]) => a.localeCompare(b)));
}

/** Prometheus text exposition format. */
export function prometheusText(): string {
  const lines = ['# HELP api_rejections_total Requests to /api refused, by reason.', '# TYPE api_rejections_total counter'];
  for (const [reason, count] of Object.entries(rejectionCounts())) lines.push(`api_rejections_total{reason="${reason}"} ${count}`);
  return `${lines.join('\n')}\n`;
}
