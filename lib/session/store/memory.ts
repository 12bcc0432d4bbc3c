/**
 * SESSION_STORE=memory: sessions in this process's memory. Sign-out revokes, as with Redis, but
 * only on this instance, and a restart signs everyone out: development, tests, one instance.
 */
import { sha256Hex } from '../../sha256';
import type { SessionStore, StoredSession } from './store';

export function createMemoryStore(now: () => number = Date.now): SessionStore {
  const sessions = new Map<string, { session: StoredSession; until: number }>();
  const users = new Map<string, Set<string>>();
  const locks = new Map<string, { token: string; until: number }>();

  function live(key: string) {
    const entry = sessions.get(key);
    if (entry && entry.until <= now()) {
      sessions.delete(key);
      users.get(entry.session.sub)?.delete(key);
      return undefined;
    }
    return entry;
  }

  return {
    async read(id) {
      return live(await sha256Hex(id))?.session;
    },
    async write(id, session, ttlS) {
      const key = await sha256Hex(id);
      sessions.set(key, { session, until: now() + ttlS * 1000 });
      if (!users.has(session.sub)) users.set(session.sub, new Set());
      users.get(session.sub)!.add(key);
    },
    async remove(id) {
      const key = await sha256Hex(id);
      const entry = sessions.get(key);
      sessions.delete(key);
      if (entry) users.get(entry.session.sub)?.delete(key);
    },
    async removeProviderSession(providerSid, sub) {
      const keys = [...sessions.keys()].filter((key) => {
        const entry = live(key);
        return (
          entry &&
          entry.session.providerSid === providerSid &&
          (sub === undefined || entry.session.sub === sub)
        );
      });
      for (const key of keys) {
        users.get(sessions.get(key)!.session.sub)?.delete(key);
        sessions.delete(key);
      }
      return keys.length;
    },
    async acquire(name, ttlMs) {
      const held = locks.get(name);
      if (held && held.until > now()) return undefined;
      const token = crypto.randomUUID();
      locks.set(name, { token, until: now() + ttlMs });
      return token;
    },
    async release(name, token) {
      if (locks.get(name)?.token === token) locks.delete(name);
    },
    async removeUser(sub) {
      const keys = [...(users.get(sub) ?? [])].filter((key) => live(key));
      for (const key of keys) sessions.delete(key);
      users.delete(sub);
      return keys.length;
    },
  };
}
