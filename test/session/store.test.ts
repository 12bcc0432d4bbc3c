/**
 * The server-side session stores (lib/session/store/): the in-memory one, and Redis through
 * node-redis against a real redis-server started here. The same contract for both; then what
 * Redis alone must do: share sessions between instances, keep only hashes, and fail with a
 * reason code (never "signed in") when the server is down or hangs.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '@/lib/session/store/memory';
import { createRedisStore } from '@/lib/session/store/redis';
import {
  newSessionId,
  StoreError,
  type SessionStore,
  type StoredSession,
} from '@/lib/session/store/store';
import { startRedis, type RedisServer } from '../support/redis';

let redis: RedisServer;
const opened: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  for (const store of opened) await store.close();
  await redis.stop();
});

const newClient = () => createClient({ url: redis.url });

/** A plain node-redis client on the test server, for looking at what the store wrote. */
async function withClient<T>(
  inspect: (client: ReturnType<typeof newClient>) => Promise<T>,
): Promise<T> {
  const client = newClient();
  await client.connect();
  try {
    return await inspect(client);
  } finally {
    await client.close();
  }
}

function redisStore(timeoutMs?: number) {
  const store = createRedisStore(redis.url, timeoutMs);
  opened.push(store);
  return store;
}

// One time for every session built here: a session compared with one built a second later is
// still equal.
const NOW_S = Math.floor(Date.now() / 1000);
const session = (sub: string): StoredSession => ({
  sub,
  idToken: `id-token-of-${sub}`,
  accessToken: `access-token-of-${sub}`,
  accessTokenExpiresAt: NOW_S + 300,
  tokensReceivedAt: NOW_S,
  scope: 'openid notes:read',
  refreshToken: `refresh-token-of-${sub}`,
});

describe.each([
  ['memory', () => createMemoryStore()],
  ['redis', () => redisStore()],
] as Array<[string, () => SessionStore]>)('%s store: the contract', (_name, make) => {
  it('reads back what it wrote; an unknown id is no session', async () => {
    const store = make();
    const id = newSessionId();
    await store.write(id, session('alice'), 60);
    expect(await store.read(id)).toEqual(session('alice'));
    expect(await store.read(newSessionId())).toBeUndefined();
  });

  it('remove ends the session: the id reads as nothing from then on', async () => {
    const store = make();
    const id = newSessionId();
    await store.write(id, session('alice'), 60);
    await store.remove(id);
    expect(await store.read(id)).toBeUndefined();
    await store.remove(id); // idempotent
  });

  it("removeUser ends every session of that user, and no one else's", async () => {
    const store = make();
    const sub = `user-${newSessionId()}`;
    const mine = [newSessionId(), newSessionId(), newSessionId()];
    const other = newSessionId();
    for (const id of mine) await store.write(id, session(sub), 60);
    await store.write(other, session('someone-else'), 60);
    expect(await store.removeUser(sub)).toBe(3);
    for (const id of mine) expect(await store.read(id)).toBeUndefined();
    expect(await store.read(other)).toEqual(session('someone-else'));
    expect(await store.removeUser(sub)).toBe(0);
  });

  it('a lock has one holder at a time, is released only by its holder, and expires by itself', async () => {
    const store = make();
    const name = `refresh:${newSessionId()}`;
    const first = await store.acquire(name, 400);
    expect(first).toBeTruthy();
    expect(await store.acquire(name, 400)).toBeUndefined();
    await store.release(name, 'not-the-holder');
    expect(await store.acquire(name, 400)).toBeUndefined();
    await store.release(name, first!);
    const second = await store.acquire(name, 400);
    expect(second).toBeTruthy();
    await new Promise((r) => setTimeout(r, 500)); // never released: it expires
    const third = await store.acquire(name, 400);
    expect(third).toBeTruthy();
    await store.release(name, second!); // the expired holder cannot release the new one's lock
    expect(await store.acquire(name, 400)).toBeUndefined();
  });

  it('a session expires with its time to live', async () => {
    const store = make();
    const id = newSessionId();
    await store.write(id, session('alice'), 1);
    expect(await store.read(id)).toBeDefined();
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await store.read(id)).toBeUndefined();
  });
});

describe('redis store', () => {
  it('locks are shared too: of 20 concurrent attempts from two instances, exactly one takes the lock', async () => {
    const a = redisStore();
    const b = redisStore();
    const name = `refresh:${newSessionId()}`;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).acquire(name, 5_000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('is shared: a session written by one instance is read, and removed, by another', async () => {
    const a = redisStore();
    const b = redisStore();
    const id = newSessionId();
    await a.write(id, session('alice'), 60);
    expect(await b.read(id)).toEqual(session('alice'));
    await b.remove(id);
    expect(await a.read(id)).toBeUndefined();
  });

  it('keeps only hashes of session ids and subjects: the id cannot be read back from Redis', async () => {
    const store = redisStore();
    const id = newSessionId();
    await store.write(id, session('alice'), 60);
    await withClient(async (client) => {
      const keys = await client.keys('*');
      expect(keys.some((k) => k.includes(id))).toBe(false);
      expect(keys.some((k) => k.includes('alice'))).toBe(false);
      expect(keys.every((k) => /^nor:[sul]:[0-9a-f]{64}$/.test(k))).toBe(true);
      const ttl = await client.pTTL(keys.find((k) => k.startsWith('nor:s:'))!);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    });
  });

  it('a value that is not a stored session reads as no session', async () => {
    const store = redisStore();
    const id = newSessionId();
    await store.write(id, session('alice'), 60);
    await withClient(async (client) => {
      for (const key of await client.keys('nor:s:*'))
        await client.set(key, '{"sub":"alice","accessToken":42}');
    });
    expect(await store.read(id)).toBeUndefined();
  });

  it('a server that hangs: every call fails within the time limit as store_timeout, never "signed in"', async () => {
    const store = redisStore(300);
    const id = newSessionId();
    await store.write(id, session('alice'), 60);
    redis.pause();
    try {
      for (const call of [
        () => store.read(id),
        () => store.write(id, session('alice'), 60),
        () => store.remove(id),
        () => store.removeUser('alice'),
      ]) {
        const started = performance.now();
        const error = await call().then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(error).toBeInstanceOf(StoreError);
        expect((error as StoreError).reason).toBe('store_timeout');
        expect(performance.now() - started).toBeLessThan(1_000);
      }
    } finally {
      redis.resume();
    }
    // Once the server answers again, so does the store. (A call that timed out may still have
    // run on the server afterwards: the time limit bounds the wait, not the command.)
    const next = newSessionId();
    await store.write(next, session('alice'), 60);
    expect(await store.read(next)).toEqual(session('alice'));
  });

  it('a server that is not there: store_unavailable (or store_timeout), quickly', async () => {
    const { closedPort } = await import('../support/http');
    const store = createRedisStore(`redis://127.0.0.1:${await closedPort()}`, 500);
    opened.push(store);
    const started = performance.now();
    const error = await store.read(newSessionId()).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect(['store_unavailable', 'store_timeout']).toContain((error as StoreError).reason);
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});
