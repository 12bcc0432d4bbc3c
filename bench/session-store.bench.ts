/**
 * `npm run bench`: what store mode adds to a page or handler that re-checks the session. The
 * Edge guard only opens the (small) cookie; the server then reads the session from the store,
 * once per request. Side by side: that read from Redis (a real redis-server on loopback, started
 * here) and from memory, next to opening a cookie-mode session cookie.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, bench, describe } from 'vitest';
import { startRedis } from '../test/support/redis';
import { localSizedTokens } from './fixtures';

// Generated: production mode refuses a hand-written sample (lib/config.ts weakSecretReason).
process.env.SESSION_SECRET = randomBytes(32).toString('base64url');

const { openSession, sealSession } = await import('@/lib/session/cookie');
const { createRedisStore } = await import('@/lib/session/store/redis');
const { createMemoryStore } = await import('@/lib/session/store/memory');
const { newSessionId } = await import('@/lib/session/store/store');

const now = Math.floor(Date.now() / 1000);
const tokens = localSizedTokens(now);
const cookie = await sealSession({ ...tokens, createdAt: now, lastSeenAt: now });

const redis = await startRedis();
const redisStore = createRedisStore(redis.url);
const memoryStore = createMemoryStore();
const id = newSessionId();
await redisStore.write(id, tokens, 3600);
await memoryStore.write(id, tokens, 3600);

afterAll(async () => {
  await redisStore.close();
  await redis.stop();
});

describe('re-checking the session on the server, per request', () => {
  bench(`cookie mode: open the ${cookie.length}-byte session cookie`, async () => {
    await openSession(cookie);
  });
  bench('store mode: read the session from Redis (loopback)', async () => {
    await redisStore.read(id);
  });
  bench('store mode: read the session from memory', async () => {
    await memoryStore.read(id);
  });
});
