/**
 * SESSION_STORE=redis: sessions in Redis, through its official Node client (node-redis), shared by
 * every instance of the app. Keys:
 *   nor:s:<sha256(session id)>  the session's tokens (JSON), expiring with the session;
 *   nor:u:<sha256(sub)>         the set of that user's session keys (sign out everywhere);
 *   nor:p:<sha256(provider sid)> the set of session keys of a provider session (back-channel logout);
 *   nor:l:<sha256(lock name)>   a lock (the refresh shared between instances, logout-token replay).
 * Only hashes of session ids are stored: whoever reads Redis cannot present a session cookie.
 * Every call has a time limit; a failure is a StoreError, never "signed in".
 */
import { createClient } from 'redis';
import { sha256Hex } from '../../sha256';
import { redisErrorCode as errorCode } from './redis-error';
import { STORE_TIMEOUT_MS, StoreError, type SessionStore, type StoredSession } from './store';

function newClient(url: string, timeoutMs: number) {
  return createClient({
    url,
    // Commands fail at once while disconnected, rather than queueing past the time limit.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: timeoutMs,
      reconnectStrategy: (retries) => Math.min(retries * 100, 2_000),
    },
  });
}
type Client = ReturnType<typeof newClient>;

function isStoredSession(value: unknown): value is StoredSession {
  const v = value as Partial<StoredSession> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.sub === 'string' &&
    typeof v.idToken === 'string' &&
    typeof v.accessToken === 'string' &&
    typeof v.accessTokenExpiresAt === 'number' &&
    typeof v.scope === 'string' &&
    (v.providerSid === undefined || typeof v.providerSid === 'string')
  );
}

export function createRedisStore(
  url: string,
  timeoutMs = STORE_TIMEOUT_MS,
): SessionStore & { close(): Promise<void> } {
  let client: Promise<Client> | undefined;
  let instance: Client | undefined;
  /** The connection's last error (certificate, password, refused…): the cause of a time-out. */
  let lastError: unknown;

  function connected(): Promise<Client> {
    client ??= (async () => {
      // While the server is away, node-redis keeps reconnecting (reconnectStrategy); calls in
      // the meantime fail at their time limit.
      const c = (instance = newClient(url, timeoutMs));
      c.on('error', (err: unknown) => (lastError = err)); // reported per call, with a reason code
      await c.connect();
      return c;
    })();
    client.catch(() => (client = undefined)); // the next call tries again
    return client;
  }

  /** Runs `call` within the time limit; any failure is a StoreError. */
  async function timed<T>(call: (c: Client) => Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new StoreError('store_timeout', { cause: lastError, detail: errorCode(lastError) }),
          ),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([connected().then(call), limit]);
    } catch (err) {
      throw err instanceof StoreError
        ? err
        : new StoreError('store_unavailable', {
            cause: err,
            detail: errorCode(err) ?? errorCode(lastError),
          });
    } finally {
      clearTimeout(timer);
    }
  }

  const sessionKey = async (id: string) => `nor:s:${await sha256Hex(id)}`;
  const userKey = async (sub: string) => `nor:u:${await sha256Hex(sub)}`;
  const providerKey = async (sid: string) => `nor:p:${await sha256Hex(sid)}`;

  return {
    async read(id) {
      const key = await sessionKey(id);
      const raw = await timed((c) => c.get(key));
      if (raw === null) return undefined;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        return undefined;
      }
      return isStoredSession(value) ? value : undefined;
    },
    async write(id, session, ttlS) {
      const [key, user] = await Promise.all([sessionKey(id), userKey(session.sub)]);
      const provider = session.providerSid ? await providerKey(session.providerSid) : undefined;
      const ttlMs = Math.max(1, Math.round(ttlS * 1000));
      await timed(async (c) => {
        const tx = c
          .multi()
          .set(key, JSON.stringify(session), { expiration: { type: 'PX', value: ttlMs } })
          .sAdd(user, key)
          // An index lives as long as its longest session (extended, never shortened).
          .pExpire(user, ttlMs, 'GT')
          .pExpire(user, ttlMs, 'NX');
        if (provider)
          tx.sAdd(provider, key).pExpire(provider, ttlMs, 'GT').pExpire(provider, ttlMs, 'NX');
        await tx.exec();
      });
    },
    async remove(id) {
      const key = await sessionKey(id);
      await timed(async (c) => {
        await c.del(key);
      });
    },
    async removeProviderSession(providerSid, sub) {
      const provider = await providerKey(providerSid);
      return timed(async (c) => {
        let keys = await c.sMembers(provider);
        if (sub !== undefined) {
          const values = keys.length ? await c.mGet(keys) : [];
          keys = keys.filter((_, i) => {
            try {
              return (JSON.parse(values[i] ?? 'null') as StoredSession | null)?.sub === sub;
            } catch {
              return false;
            }
          });
        }
        const removed = keys.length ? await c.del(keys) : 0;
        if (sub === undefined) await c.del(provider);
        return removed;
      });
    },
    async acquire(name, ttlMs) {
      const token = crypto.randomUUID();
      const key = `nor:l:${await sha256Hex(name)}`;
      const taken = await timed((c) =>
        c.set(key, token, { NX: true, expiration: { type: 'PX', value: ttlMs } }),
      );
      return taken === 'OK' ? token : undefined;
    },
    async release(name, token) {
      const key = `nor:l:${await sha256Hex(name)}`;
      // Compare and delete in one step: never release a lock that expired and went to another.
      await timed((c) =>
        c.eval(
          "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
          { keys: [key], arguments: [token] },
        ),
      );
    },
    async removeUser(sub) {
      const user = await userKey(sub);
      return timed(async (c) => {
        const keys = await c.sMembers(user);
        const removed = keys.length ? await c.del(keys) : 0;
        await c.del(user);
        return removed;
      });
    },
    async close() {
      const c = instance;
      client = instance = undefined;
      c?.destroy();
    },
  };
}
