/** GET /api/notes (notes:read) and POST /api/notes (notes:write): the caller's own notes. */
import { API_SCOPES } from '@/lib/config';
import { json, methodNotAllowed } from '@/lib/resource-server/errors';
import { addNote, listNotes, MAX_NOTE_LENGTH } from '@/lib/resource-server/notes';
import { mayWriteNotes } from '@/lib/resource-server/permissions';
import { protect, reject } from '@/lib/resource-server/protect';

export const dynamic = 'force-dynamic';

export const GET = protect({ scopes: [API_SCOPES.read], callers: ['user'] }, (_request, token) =>
  json({ sub: token.sub, notes: listNotes(token.sub) }),
);

export const POST = protect(
  { scopes: [API_SCOPES.write], callers: ['user'] },
  async (request, token) => {
    // The scope let the client ask; the API's own data decides whether this user may write.
    if (!mayWriteNotes(token)) {
      return reject(
        'permission_denied',
        json({ error: 'forbidden', error_description: 'This account may not write notes.' }, 403),
      );
    }
    const body: unknown = await request.json().catch(() => undefined);
    const text =
      typeof body === 'object' && body !== null && 'text' in body ? body.text : undefined;
    if (typeof text !== 'string' || !text.trim() || text.length > MAX_NOTE_LENGTH) {
      return json(
        {
          error: 'invalid_body',
          error_description: `Send {"text": "..."} of 1 to ${MAX_NOTE_LENGTH} characters.`,
        },
        400,
      );
    }
    return json({ sub: token.sub, note: addNote(token.sub, text.trim()) }, 201);
  },
);

// Every other method: a JSON 405 with Allow (Next's own 405 has no body).
const unsupported = methodNotAllowed(['GET', 'POST']);
export { unsupported as PUT, unsupported as PATCH, unsupported as DELETE };
