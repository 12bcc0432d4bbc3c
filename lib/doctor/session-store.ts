/**
 * The session store the app will use (SESSION_STORE): in redis mode, a PING over the configured
 * URL within the store's time limit, so a wrong password, an untrusted certificate or an
 * unreachable host shows here, with its code, rather than as 503 pages after deployment.
 */
import { createClient } from 'redis';
import type { Config } from '../config.ts';
import { redisErrorCode } from '../session/store/redis-error.ts';
import type { Finding } from './finding.ts';

const PING_LIMIT_MS = 3_000;

/** host:port of the URL, never its password. */
function where(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}

const FIXES: Record<string, string> = {
  WRONGPASS:
    "The password in REDIS_URL (rediss://default:<password>@host:port) is wrong: copy the URL again from the database's page.",
  NOAUTH:
    'The server wants a password: put it in REDIS_URL (rediss://default:<password>@host:port).',
  ECONNREFUSED:
    'Nothing listens there: start redis-server, or correct the host and port in REDIS_URL.',
  ENOTFOUND: 'The host name does not resolve: correct REDIS_URL.',
  SELF_SIGNED_CERT_IN_CHAIN:
    "The server's TLS certificate comes from a CA this machine does not trust: set NODE_EXTRA_CA_CERTS to that CA's PEM file.",
  DEPTH_ZERO_SELF_SIGNED_CERT:
    "The server's TLS certificate is self-signed: set NODE_EXTRA_CA_CERTS to it.",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    "The server's TLS certificate cannot be verified: set NODE_EXTRA_CA_CERTS to its CA's PEM file.",
  ERR_TLS_CERT_ALTNAME_INVALID:
    "The server's TLS certificate is for another host name: use the host name it was issued for in REDIS_URL.",
  ECONNRESET:
    'The server closed the connection: a redis:// URL to a TLS-only server? Use rediss://.',
};

export async function checkSessionStore(config: Config): Promise<Finding> {
  const store = config.sessionStore;
  if (store.kind !== 'redis') {
    return {
      check: 'session store',
      status: 'info',
      detail:
        store.kind === 'cookie'
          ? 'cookie mode: the session is sealed in the cookie (set REDIS_URL for revocation, back-channel logout and one refresh across instances)'
          : 'memory mode: sessions live in this one server process',
    };
  }
  let lastError: unknown;
  const client = createClient({
    url: store.url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: PING_LIMIT_MS,
      reconnectStrategy: (retries) => (retries > 1 ? false : 200),
    },
  });
  client.on('error', (err: unknown) => (lastError = err));
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise(
        (_, reject) =>
          (timer = setTimeout(() => reject(lastError ?? new Error('time-out')), PING_LIMIT_MS)),
      ),
    ]);
    return {
      check: 'session store',
      status: 'ok',
      detail: `redis mode: ${where(store.url)} answers`,
    };
  } catch (err) {
    const reason = redisErrorCode(lastError ?? err) ?? 'no answer';
    return {
      check: 'session store',
      status: 'fail',
      detail: `redis mode: ${where(store.url)} does not answer (${reason}); every signed-in page would be a 503`,
      fix: FIXES[reason] ?? 'Check REDIS_URL (or KV_URL) and that the server is up.',
    };
  } finally {
    clearTimeout(timer);
    client.destroy();
  }
}
