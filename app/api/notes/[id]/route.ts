/** GET /api/notes/:id (notes:read): one of the caller's notes. Another user's note is a 404. */
import { API_SCOPES } from '@/lib/config';
import { json, methodNotAllowed } from '@/lib/resource-server/errors';
import { findNote } from '@/lib/resource-server/notes';
import { protect } from '@/lib/resource-server/protect';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return protect({ scopes: [API_SCOPES.read], callers: ['user'] }, (_request, token) => {
    const note = findNote(token.sub, id);
    // Not 403: whether someone else's note exists is not the caller's business.
    return note ? json({ sub: token.sub, note }) : json({ error: 'not_found' }, 404);
  })(request);
}

// Every other method: a JSON 405 with Allow (Next's own 405 has no body).
const unsupported = methodNotAllowed(['GET']);
export { unsupported as POST, unsupported as PUT, unsupported as PATCH, unsupported as DELETE };
