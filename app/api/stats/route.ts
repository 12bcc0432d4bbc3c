/** GET /api/stats (stats:read): for machine clients (client credentials) only. */
import { API_SCOPES } from '@/lib/config';
import { json, methodNotAllowed } from '@/lib/resource-server/errors';
import { stats } from '@/lib/resource-server/notes';
import { protect } from '@/lib/resource-server/protect';

export const dynamic = 'force-dynamic';

export const GET = protect(
  { scopes: [API_SCOPES.stats], callers: ['machine'] },
  (_request, token) => json({ client_id: token.client_id, ...stats() }),
);

// Every other method: a JSON 405 with Allow (Next's own 405 has no body).
const unsupported = methodNotAllowed(['GET']);
export { unsupported as POST, unsupported as PUT, unsupported as PATCH, unsupported as DELETE };
