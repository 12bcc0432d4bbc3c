/**
 * Scopes are not roles. A scope says what the *client* may ask for on the user's behalf; what
 * the *user* may do is the resource server's own decision, from its own data, keyed by the
 * token's `sub`. This is that data (a demo table: in a real API, your database).
 */
const WRITERS = new Set(['alice']);

export function mayWriteNotes(sub: string): boolean {
  return WRITERS.has(sub);
}
