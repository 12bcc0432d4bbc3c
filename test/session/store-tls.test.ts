/**
 * Redis over TLS with a password, as Vercel's Marketplace Redis (Upstash) serves it: a
 * `rediss://default:<token>@host:6379` URL in KV_URL / REDIS_URL. A real redis-server here serves
 * TLS only, with a certificate from a throwaway CA. The store must verify that certificate (an
 * unknown CA is a StoreError, never a silent plaintext or unverified connection) and send the
 * password; with both right, it works as over plain TCP.
 */
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '@/lib/config';
import { checkSessionStore } from '@/lib/doctor/session-store';
import { createRedisStore } from '@/lib/session/store/redis';
import { newSessionId, StoreError, type StoredSession } from '@/lib/session/store/store';
import { startRedis, type RedisServer } from '../support/redis';

const PASSWORD = 'upstash-like token/with+reserved=chars';
let redis: RedisServer;
const systemCAs = getCACertificates('default');
const opened: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  redis = await startRedis({ tls: true, password: PASSWORD });
});

afterEach(() => setDefaultCACertificates(systemCAs));

afterAll(async () => {
  for (const store of opened) await store.close().catch(() => undefined);
  await redis.stop();
});

function store(url: string) {
  const s = createRedisStore(url, 1_000);
  opened.push(s);
  return s;
}

const NOW_S = Math.floor(Date.now() / 1000);
const session: StoredSession = {
  sub: 'alice',
  idToken: 'id-token',
  accessToken: 'access-token',
  accessTokenExpiresAt: NOW_S + 300,
  tokensReceivedAt: NOW_S,
  scope: 'openid',
};

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreError);
  return err as StoreError;
}

describe('Redis over TLS (rediss://) with a password', () => {
  it('with the CA trusted and the password right, the store works as over plain TCP', async () => {
    setDefaultCACertificates([...systemCAs, redis.ca!]);
    expect(redis.url).toMatch(/^rediss:\/\/default:[^@]+@localhost:\d+$/);
    const s = store(redis.url);
    const id = newSessionId();
    await s.write(id, session, 60);
    expect(await s.read(id)).toEqual(session);
    await s.remove(id);
    expect(await s.read(id)).toBeUndefined();
  });

  it('a certificate from a CA the process does not trust is refused: a StoreError that names the certificate failure, no session read', async () => {
    const err = await failure(store(redis.url).read(newSessionId()));
    // node-redis keeps retrying until the call's time limit; the log says why it could not connect.
    expect(err.reason).toBe('store_timeout');
    expect(err.detail).toBe('SELF_SIGNED_CERT_IN_CHAIN');
  });

  it('the wrong password is refused', async () => {
    setDefaultCACertificates([...systemCAs, redis.ca!]);
    const wrong = redis.url.replace(/default:[^@]+@/, 'default:not-the-token@');
    const err = await failure(store(wrong).read(newSessionId()));
    expect(err.detail).toBe('WRONGPASS'); // Redis's own error code, not the message (it never holds the password)
  });

  it('redis:// (plaintext) to the TLS port does not work: no fallback to an unencrypted session', async () => {
    setDefaultCACertificates([...systemCAs, redis.ca!]);
    const plain = redis.url.replace(/^rediss:/, 'redis:');
    const err = await failure(store(plain).read(newSessionId()));
    expect(err.detail).not.toBeUndefined();
  });
});

describe('npm run doctor checks the store the app will use', () => {
  const doctor = (url: string) =>
    checkSessionStore(readConfig({ SESSION_SECRET: 'd'.repeat(32), REDIS_URL: url }));

  it('ok when the server answers over verified TLS with the password', async () => {
    setDefaultCACertificates([...systemCAs, redis.ca!]);
    const finding = await doctor(redis.url);
    expect(finding).toMatchObject({ check: 'session store', status: 'ok' });
    expect(finding.detail).toContain(`rediss://localhost:${redis.port}`);
  });

  it('fails with the code and the fix, never the password: untrusted CA, wrong password, nothing listening', async () => {
    const untrusted = await doctor(redis.url);
    expect(untrusted).toMatchObject({ status: 'fail' });
    expect(untrusted.detail).toContain('SELF_SIGNED_CERT_IN_CHAIN');
    expect(untrusted.fix).toContain('NODE_EXTRA_CA_CERTS');

    setDefaultCACertificates([...systemCAs, redis.ca!]);
    const wrong = await doctor(redis.url.replace(/default:[^@]+@/, 'default:not-the-token@'));
    expect(wrong.detail).toContain('WRONGPASS');
    expect(wrong.fix).toContain('password');

    const closed = await doctor('redis://127.0.0.1:1');
    expect(closed.detail).toContain('ECONNREFUSED');
    for (const f of [untrusted, wrong, closed]) {
      expect(JSON.stringify(f)).not.toContain('not-the-token');
      expect(JSON.stringify(f)).not.toContain(encodeURIComponent(PASSWORD));
    }
  });
});
