/** GET /api/me: what this access token may do. Any valid user or machine token. */
import { API_SCOPES } from '@/lib/config';
import { json } from '@/lib/resource-server/errors';
import { protect } from '@/lib/resource-server/protect';

export const dynamic = 'force-dynamic';

export const GET = protect({ scopes: [], callers: ['user', 'machine'] }, (_request, token) =>
  json({
    sub: token.sub,
    client_id: token.client_id,
    kind: token.kind,
    scopes: [...token.scopes],
    can: {
      readNotes: token.scopes.has(API_SCOPES.read),
      writeNotes: token.scopes.has(API_SCOPES.write),
      readStats: token.scopes.has(API_SCOPES.stats),
    },
    format: token.format,
    expiresAt: token.exp,
  }),
);
