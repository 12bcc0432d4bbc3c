/**
 * The API's own data: notes, keyed by the access token's `sub`. In memory, per server process:
 * a demo store, reset on restart. Replace with your database.
 */
export interface Note {
  id: string;
  text: string;
  createdAt: string;
}

const notes = new Map<string, Note[]>();
export const MAX_NOTE_LENGTH = 500;
const MAX_NOTES_PER_USER = 100;

export function listNotes(sub: string): Note[] {
  return notes.get(sub) ?? [];
}

export function findNote(sub: string, id: string): Note | undefined {
  return listNotes(sub).find((n) => n.id === id);
}

export function addNote(sub: string, text: string): Note {
  const note = { id: crypto.randomUUID(), text, createdAt: new Date().toISOString() };
  const list = [note, ...listNotes(sub)].slice(0, MAX_NOTES_PER_USER);
  notes.set(sub, list);
  return note;
}

export function stats(): { users: number; notes: number } {
  let count = 0;
  for (const list of notes.values()) count += list.length;
  return { users: notes.size, notes: count };
}
