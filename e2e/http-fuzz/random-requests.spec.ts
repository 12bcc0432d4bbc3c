/**
 * HTTP fuzzing of the production server: at least 10,000 random requests written raw on TCP
 * sockets (so any byte reaches the server, not what an HTTP client library agrees to send),
 * to the resource server (`/api/...`), the BFF (`/bff/notes`) and the login callback
 * (`/auth/callback`): random methods, query strings, Authorization headers (random schemes,
 * b64tokens, JWT-shaped strings, mutations of the real tokens of a real sign-in, raw bytes
 * 0x21-0xFF sent as latin1, i.e. not UTF-8), cookies, content types and bodies. The generator and
 * the raw socket are in ./helpers.ts.
 *
 * The one rule: the server never answers 5xx, and always answers. A 400 written by Node's HTTP
 * parser itself (invalid bytes in the request line or a header) is fine and counted apart.
 *
 * Seeded: FUZZ_SEED=<n> replays a run (the seed is printed, and named in every failure).
 * FUZZ_REQUESTS=<n> changes the count.
 */
import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { LOCAL_IDP } from '../../lib/config';
import { APP_URL, IDP_URL, SESSION_COOKIE } from '../env';
import { readSession, signIn } from '../helpers';
import { prng, randomRequest, send, type Material } from './helpers';

const REQUESTS = Number(process.env.FUZZ_REQUESTS) || 10_000;
const CONCURRENCY = 8;

async function clientCredentials(id: string, secret: string, scope: string): Promise<string> {
  const response = await fetch(`${IDP_URL}/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

test(`${REQUESTS} random raw HTTP requests: never a 5xx, always an answer`, async ({
  page,
  context,
}) => {
  test.setTimeout(120_000); // about 10 s for 10,000 requests on 2 cores, with a second worker busy
  const seed = Number(process.env.FUZZ_SEED) || randomInt(1, 2 ** 31);
  test.info().annotations.push({ type: 'fuzz seed', description: String(seed) });
  console.log(`http-fuzz seed=${seed}: ${REQUESTS} requests (replay with FUZZ_SEED=${seed})`);

  // Real material from the real flow.
  await signIn(page, 'alice');
  await expect(page.getByTestId('user-name')).toBeVisible();
  const session = await readSession(context);
  const sessionCookie = (await context.cookies(APP_URL)).find(
    (c) => c.name === SESSION_COOKIE,
  )!.value;
  const material: Material = {
    accessToken: session.accessToken,
    idToken: session.idToken,
    machineToken: await clientCredentials(
      LOCAL_IDP.machineClientId,
      LOCAL_IDP.machineClientSecret,
      'stats:read metrics:read',
    ),
    opaqueToken: await clientCredentials(
      LOCAL_IDP.opaqueMachineClientId,
      LOCAL_IDP.opaqueMachineClientSecret,
      'stats:read',
    ),
    sessionCookie,
    kid: (
      JSON.parse(Buffer.from(session.accessToken.split('.')[0]!, 'base64url').toString()) as {
        kid: string;
      }
    ).kid,
  };

  const r = prng(seed);
  const requests = Array.from({ length: REQUESTS }, () => randomRequest(r, material));

  const histogram: Record<string, number> = {};
  const failures: { index: number; outcome: string; request: string; response: string }[] = [];
  /** Answers written by Node's HTTP parser itself (not by Next.js), by status. */
  const parser: Record<string, number> = {};
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) {
        const index = next++;
        const outcome = await send(requests[index]!);
        const key = 'status' in outcome ? String(outcome.status) : outcome.error;
        histogram[key] = (histogram[key] ?? 0) + 1;
        if ('status' in outcome && outcome.parser) parser[key] = (parser[key] ?? 0) + 1;
        if (!('status' in outcome) || outcome.status >= 500) {
          failures.push({
            index,
            outcome: key,
            request: requests[index]!.toString('latin1'),
            response: outcome.response,
          });
        }
      }
    }),
  );
  const ms = Date.now() - started;

  const sorted = Object.fromEntries(
    Object.entries(histogram).sort(([a], [b]) => a.localeCompare(b)),
  );
  console.log(
    `http-fuzz seed=${seed}: ${requests.length} requests in ${ms} ms (${Math.round((requests.length * 1000) / ms)}/s, concurrency ${CONCURRENCY}); ` +
      `statuses ${JSON.stringify(sorted)}; of which written by Node's HTTP parser ${JSON.stringify(parser)}; 5xx or no answer: ${failures.length}`,
  );

  if (failures.length) {
    const path = test.info().outputPath('fuzz-failures.json');
    writeFileSync(path, JSON.stringify({ seed, failures }, null, 2));
    await test.info().attach('fuzz-failures.json', { path, contentType: 'application/json' });
  }

  // The server is still up and still right.
  const alive = await fetch(`${APP_URL}/api/me`, {
    headers: { Authorization: `Bearer ${material.accessToken}` },
  });
  expect(alive.status, `seed ${seed}: /api/me after the run`).toBe(200);

  expect(requests.length).toBeGreaterThanOrEqual(10_000);
  const summary = failures.slice(0, 20).map((f) => {
    const lines = f.request.split('\r\n');
    const auth = lines.find((l) => /^authorization:/i.test(l)) ?? '(no Authorization)';
    const credential = auth.split(' ').at(-1) ?? '';
    const shown =
      auth.length > 110
        ? `${auth.slice(0, 70)}…${auth.slice(-30)} (${credential.split('.').length} segments)`
        : auth;
    const body = f.response
      .slice(f.response.indexOf('\r\n\r\n') + 4)
      .replace(/^[0-9a-f]+\r\n/, '')
      .slice(0, 100);
    return `#${f.index} ${f.outcome}: ${lines[0]!.slice(0, 100)} | ${shown} -> ${body}`;
  });
  expect(
    summary,
    `seed ${seed} (FUZZ_SEED=${seed} replays; all in fuzz-failures.json): ${failures.length} requests got a 5xx or no answer`,
  ).toEqual([]);
  // Sanity: the run reached the interesting paths, not only the parser.
  expect(histogram['200'] ?? 0, `seed ${seed}: some requests succeed`).toBeGreaterThan(0);
  expect(histogram['401'] ?? 0, `seed ${seed}: some requests are invalid_token`).toBeGreaterThan(0);
});
