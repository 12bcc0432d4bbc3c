/**
 * Who may call, and what they may do, against the real route handlers: a machine token on a user
 * route, scopes missing, in the wrong case or of the wrong type, roles of the wrong type (the
 * rows, in ./callers.rows.ts, checked by ./harness.ts); then scopes that are not roles (bob
 * holds notes:write but not the writer role), notes that belong to someone else, and a user
 * token that passes for a machine's on /api/stats. Nothing is mocked but console.log.
 */
import { describe, expect, it } from 'vitest';
import { parseChallenge } from '../../support/challenge.ts';
import { apiRequest, bearer } from '../../support/resource-server.ts';
import { callerAttacks } from './callers.rows';
import { api, iss, logs, runAttacks, setUpResourceServer } from './harness';

setUpResourceServer();
runAttacks(callerAttacks);

describe('scopes are not roles: per-user permissions and ownership', () => {
  const post = (token: string, text: string) =>
    api.notes.POST(
      apiRequest({
        method: 'POST',
        headers: [bearer(token), ['Content-Type', 'application/json']],
        body: JSON.stringify({ text }),
      }),
    );
  const getNote = (token: string, id: string) =>
    api.note.GET(apiRequest({ path: `/notes/${id}`, headers: [bearer(token)] }), {
      params: Promise.resolve({ id }),
    });

  it('refuses bob, whose validly signed token carries notes:write but not the writer role, with 403 forbidden (permission_denied)', async () => {
    const token = await iss.mint({
      sub: 'bob',
      scope: 'notes:read notes:write',
      roles: ['notes-reader'],
    });
    const response = await post(token, 'from bob');

    expect(response.status).toBe(403);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ error: 'forbidden' });
    expect(logs.rejections()).toEqual([
      expect.objectContaining({ reason: 'permission_denied', status: 403 }),
    ]);
    logs.expectNoLeak(token);
    const list = (await (await api.notes.GET(apiRequest({ headers: [bearer(token)] }))).json()) as {
      notes: unknown[];
    };
    expect(list.notes).toEqual([]);
  });

  it('lets alice, who holds the writer role (RFC 9068 §2.2.3.1 roles), write (201); her note is 200 for her and 404 for bob', async () => {
    const alice = await iss.mint({ roles: ['notes-writer'] });
    const bob = await iss.mint({ sub: 'bob' });
    const created = await post(alice, 'from alice');
    expect(created.status).toBe(201);
    const { note } = (await created.json()) as { note: { id: string; text: string } };
    expect(note.text).toBe('from alice');

    const mine = await getNote(alice, note.id);
    expect(mine.status).toBe(200);
    expect(await mine.json()).toMatchObject({
      sub: 'alice',
      note: { id: note.id, text: 'from alice' },
    });

    const theirs = await getNote(bob, note.id);
    expect(theirs.status).toBe(404);
    expect(theirs.headers.get('Cache-Control')).toBe('no-store');
    expect(await theirs.text()).not.toContain('from alice');

    const bobsList = (await (
      await api.notes.GET(apiRequest({ headers: [bearer(bob)] }))
    ).json()) as { notes: unknown[] };
    expect(bobsList.notes).toEqual([]);
    expect(logs.rejections()).toEqual([]);
  });

  it('refuses an alice token without notes:write on POST with insufficient_scope', async () => {
    const response = await post(await iss.mint({ scope: 'notes:read' }), 'x');
    expect(response.status).toBe(403);
    expect(parseChallenge(response.headers.get('WWW-Authenticate'))).toMatchObject({
      error: 'insufficient_scope',
      scope: 'notes:write',
    });
    expect(logs.rejections()).toEqual([
      expect.objectContaining({ reason: 'insufficient_scope', status: 403 }),
    ]);
  });
});

describe('caller kind confusion', () => {
  // Required: a token whose sub is not a string is invalid (RFC 7519 §4.1.2), not a machine token.
  it('does not let a user token with a numeric sub in as a machine on /api/stats', async () => {
    const token = await iss.mint({ sub: 42, scope: 'stats:read' });
    const response = await api.stats.GET(apiRequest({ path: '/stats', headers: [bearer(token)] }));
    expect(response.status).toBe(401);
  });
});
