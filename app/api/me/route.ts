/** GET /api/me: what this access token may do. Any valid user or machine token. */
import { API_SCOPES } from '@/lib/config';
import { json, methodNotAllowed } from '@/lib/resource-server/errors';
import { mayWriteNotes } from '@/lib/resource-server/permissions';
import { protect } from '@/lib/resource-server/protect';

export const dynamic = 'force-dynamic';

export const GET = protect({ scopes: [], callers: ['user', 'machine'] }, (_request, token) =>
  json({
    sub: token.sub,
    client_id: token.client_id,
    kind: token.kind,
    scopes: [...token.scopes],
    roles: [...token.roles],
    // The scope lets the client ask; the API's own data (roles, API_WRITERS) decides.
    can: {
      readNotes: token.scopes.has(API_SCOPES.read),
      writeNotes: token.scopes.has(API_SCOPES.write) && mayWriteNotes(token),
      readStats: token.scopes.has(API_SCOPES.stats),
    },
    format: token.format,
    expiresAt: token.exp,
  }),
);

// Every other method: a JSON 405 with Allow (Next's own 405 has no body).
const unsupported = methodNotAllowed(['GET']);
export { unsupported as POST, unsupported as PUT, unsupported as PATCH, unsupported as DELETE };
