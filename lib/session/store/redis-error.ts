/**
 * What went wrong with a Redis connection, as a stable code for logs and the doctor: Node's
 * `code` (ECONNREFUSED, SELF_SIGNED_CERT_IN_CHAIN…), or the error code a Redis error reply starts
 * with (WRONGPASS, NOAUTH…: RESP "simple errors"). Never the message: it may name the host.
 * No relative imports: the doctor (plain Node type stripping) uses it too.
 */
import { ErrorReply, SimpleError } from 'redis';

const CODE = /^[A-Z][A-Z0-9_]{1,39}$/;

export function redisErrorCode(err: unknown): string | undefined {
  for (let e = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CODE.test(code)) return code;
    if (e instanceof ErrorReply || e instanceof SimpleError) {
      const first = e.message.split(' ', 1)[0] ?? '';
      if (CODE.test(first)) return first;
    }
  }
  return undefined;
}
