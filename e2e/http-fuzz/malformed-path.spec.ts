/**
 * Fixed in the app: Next.js 16.4.5 answers a malformed percent-encoding in a dynamic segment
 * with a 500 ("failed to decode param"), so lib/guard.ts refuses such paths with 400 first.
 */
import { expect, test } from '@playwright/test';
import { APP_URL } from '../env';
import { send } from './helpers';

test('a malformed percent-encoding in the path is a 400, not a 500', async () => {
  for (const path of [
    '/api/notes/%zz',
    '/api/notes/abc%',
    '/api/notes/%E0%A4%A',
    '/api/notes/%C0%AF',
    '/dashboard/%zz',
  ]) {
    const outcome = await send(
      Buffer.from(
        `GET ${path} HTTP/1.1\r\nHost: ${new URL(APP_URL).host}\r\nConnection: close\r\n\r\n`,
      ),
    );
    expect('status' in outcome && outcome.status, path).toBe(400);
  }
});
