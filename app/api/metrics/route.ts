/**
 * GET /api/metrics: rejection counts per reason, Prometheus text format. Machine tokens with
 * `metrics:read` only; set API_METRICS=off to remove it.
 */
import { API_SCOPES, resourceServerConfig } from '@/lib/config';
import { apiGate } from '@/lib/deployment-setup';
import { json, methodNotAllowed } from '@/lib/resource-server/errors';
import { prometheusText, rejectionCounts } from '@/lib/resource-server/metrics';
import { protect } from '@/lib/resource-server/protect';

export const dynamic = 'force-dynamic';

const handler = protect({ scopes: [API_SCOPES.metrics], callers: ['machine'] }, (request) => {
  if (request.headers.get('accept')?.includes('application/json'))
    return json({ rejections: rejectionCounts() });
  return new Response(prometheusText(), {
    headers: { 'Content-Type': 'text/plain; version=0.0.4' },
  });
});

export function GET(request: Request) {
  const gated = apiGate();
  if (gated) return gated;
  if (!resourceServerConfig().metrics) return json({ error: 'not_found' }, 404);
  return handler(request);
}

// Every other method: a JSON 405 with Allow (Next's own 405 has no body).
const unsupported = methodNotAllowed(['GET']);
export { unsupported as POST, unsupported as PUT, unsupported as PATCH, unsupported as DELETE };
