/**
 * The attack lab (/lab): after a real sign-in, every card runs its attack against the real app
 * and shows the refusal the card expects, with the status, WWW-Authenticate and the reason the
 * app logged; the session survives them all. The lab's own route is a BFF route (same-origin,
 * custom header, signed in), and in production it is a 404 unless LAB=on.
 */
import { expect, test, type Page } from '@playwright/test';
import { APP_URL, STORE_APP_URL, TEST_SESSION_SECRET } from './env';
import { readSession, screenshotForDocs, signIn } from './helpers';
import { ready, start } from './spawn';

interface Expectation {
  status: number;
  reason?: string;
  wwwAuthenticate?: RegExp;
  location?: string | RegExp;
  verdict?: string;
}

const CARDS: Record<string, Expectation> = {
  'id-token-at-api': {
    status: 401,
    reason: 'id_token_presented',
    wwwAuthenticate: /^Bearer realm="api", error="invalid_token"/,
  },
  'no-token': { status: 401, wwwAuthenticate: /^Bearer realm="api"$/ },
  'token-in-query': { status: 400, wwwAuthenticate: /error="invalid_request"/ },
  'expired-token': { status: 401, wwwAuthenticate: /error="invalid_token"/ },
  'other-audience': {
    status: 401,
    reason: 'wrong_audience',
    wwwAuthenticate: /error="invalid_token"/,
  },
  'missing-scope': {
    status: 403,
    wwwAuthenticate: /error="insufficient_scope".*scope="stats:read"/,
  },
  'machine-on-user-endpoint': { status: 403, wwwAuthenticate: /error="insufficient_scope"/ },
  'alg-none': { status: 401, wwwAuthenticate: /error="invalid_token"/ },
  'hs256-public-key': { status: 401, wwwAuthenticate: /error="invalid_token"/ },
  'edited-claims': { status: 401, wwwAuthenticate: /error="invalid_token"/ },
  'foreign-state': {
    status: 303,
    reason: 'missing_transaction',
    location: /\/auth\/error\?reason=missing_transaction&ref=/,
  },
  'wrong-iss': {
    status: 303,
    reason: 'issuer_mismatch',
    location: /\/auth\/error\?reason=issuer_mismatch&ref=/,
  },
  'injected-code': { status: 303, location: /\/auth\/error\?reason=/ },
  'replayed-code': { status: 303, location: /\/auth\/error\?reason=token_request_failed&ref=/ },
  // The suite's main instance keeps sessions in cookies: a copy outlives sign-out, as documented.
  // The store-mode instance refuses it (below).
  'replayed-cookie': { status: 200, verdict: 'Not stopped, by design' },
  'open-redirect': { status: 303, location: `${APP_URL}/?signedOut=local` },
  'tampered-cookie': { status: 307, location: /\/auth\/login\?returnTo=%2Fdashboard$/ },
  'cross-site-sign-out': { status: 403 },
  'bff-without-header': { status: 403 },
};

async function run(page: Page, id: string) {
  const card = page.getByTestId(`lab-${id}`);
  await card.getByRole('button', { name: 'Run' }).click();
  await expect(card.getByTestId('lab-verdict')).toBeVisible({ timeout: 15_000 });
  return card;
}

test('every card runs its attack for real and shows it stopped: status, header, reason; the session survives', async ({
  page,
  context,
}) => {
  test.setTimeout(90_000);
  await signIn(page, 'alice');
  await expect(page.getByTestId('user-name')).toBeVisible();
  const { accessToken, idToken, refreshToken } = await readSession(context);
  const answers: string[] = [];
  page.on('response', async (response) => {
    if (response.url().startsWith(`${APP_URL}/bff/lab`)) answers.push(await response.text());
  });

  await page.goto('/lab');
  await expect(page.getByRole('heading', { name: 'Attack lab' })).toBeVisible();
  const cards = page
    .locator('[data-testid^="lab-"]')
    .filter({ has: page.getByRole('button', { name: 'Run' }) });
  expect(await cards.count()).toBe(Object.keys(CARDS).length);

  for (const [id, expected] of Object.entries(CARDS)) {
    const card = await run(page, id);
    await expect(card.getByTestId('lab-verdict'), id).toHaveText(expected.verdict ?? 'Stopped');
    await expect(card.getByTestId('lab-status'), id).toHaveText(String(expected.status));
    if (expected.wwwAuthenticate)
      await expect(card.getByTestId('lab-www-authenticate'), id).toHaveText(
        expected.wwwAuthenticate,
      );
    // /api's counters: other tests' traffic at the same moment may add reasons of its own.
    if (expected.reason)
      await expect(card.getByTestId('lab-reason'), id).toContainText(expected.reason);
    if (expected.location)
      await expect(card.getByTestId('lab-location'), id).toHaveText(expected.location);
  }

  await screenshotForDocs(page.locator('main'), 'lab');

  // The attacks used the user's own tokens and cookies, and none of them came back to the browser.
  expect(answers.length).toBe(Object.keys(CARDS).length);
  for (const answer of answers)
    for (const token of [accessToken, idToken, refreshToken])
      if (token) expect(answer).not.toContain(token);
  // Still signed in: the forged sign-out and the tampered cookie changed nothing.
  await page.goto('/dashboard');
  await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');
  await expect(page.getByTestId('api-me-status')).toHaveText('200');
});

test('the machine client panel: a client-credentials token, decoded; /api/stats 200, /api/notes 403 saying why; the curl to do it by hand', async ({
  page,
}) => {
  await signIn(page, 'alice');
  await expect(page.getByTestId('user-name')).toBeVisible();
  await page.goto('/lab');
  const panel = page.getByTestId('machine-panel');
  await panel.getByRole('button', { name: 'Get a machine token and call the API' }).click();
  await expect(panel.getByTestId('machine-result')).toBeVisible({ timeout: 15_000 });
  await expect(panel.locator('[data-machine-claim="client_id"]')).toHaveText(
    'reference-machine-client',
  );
  await expect(panel.locator('[data-machine-claim="scope"]')).toHaveText('stats:read');
  await expect(panel.locator('[data-machine-claim="aud"]')).toHaveText(`${APP_URL}/api`);
  await expect(panel.getByTestId('machine-call-stats').getByTestId('machine-status')).toHaveText(
    '200',
  );
  await expect(panel.getByTestId('machine-call-notes').getByTestId('machine-status')).toHaveText(
    '403',
  );
  await expect(
    panel.getByTestId('machine-call-notes').getByTestId('machine-www-authenticate'),
  ).toContainText('error="insufficient_scope"');
  await expect(
    panel.getByTestId('machine-call-notes').getByTestId('machine-www-authenticate'),
  ).toContainText('machine');
  await expect(panel.getByTestId('machine-curl')).toContainText('grant_type=client_credentials');
  await expect(panel.getByTestId('machine-curl')).toContainText(`${APP_URL}/api/notes`);
});

test("store mode: the lab's replayed session cookie is refused after sign-out", async ({
  page,
}) => {
  await signIn(page, 'alice', `${STORE_APP_URL}/dashboard`);
  await expect(page.getByTestId('user-name')).toBeVisible();
  await page.goto(`${STORE_APP_URL}/lab`);
  const card = await run(page, 'replayed-cookie');
  await expect(card.getByTestId('lab-verdict')).toHaveText('Stopped');
  await expect(card.getByTestId('lab-location')).toHaveText(
    /\/auth\/login\?returnTo=%2Fdashboard$/,
  );
});

test('/bff/lab is a BFF route: same origin with the lab header, signed in, a known attack', async ({
  page,
  context,
  request,
}) => {
  const headers = { 'x-lab-request': '1', Origin: APP_URL };
  expect((await request.post('/bff/lab?attack=no-token', { headers })).status()).toBe(401); // no session
  await signIn(page, 'alice');
  await expect(page.getByTestId('user-name')).toBeVisible();
  expect(
    (
      await context.request.post('/bff/lab?attack=no-token', { headers: { Origin: APP_URL } })
    ).status(),
  ).toBe(403);
  expect(
    (
      await context.request.post('/bff/lab?attack=no-token', {
        headers: { ...headers, Origin: 'https://attacker.example' },
      })
    ).status(),
  ).toBe(403);
  expect((await context.request.post('/bff/lab?attack=rm-rf', { headers })).status()).toBe(400);
  const ok = await context.request.post('/bff/lab?attack=no-token', { headers });
  expect(ok.status()).toBe(200);
  expect(ok.headers()['cache-control']).toBe('no-store');
  expect(await ok.json()).toMatchObject({ status: 401, stopped: true });
});

test('in production the lab is a 404 unless LAB=on: the page and its route, signed in or not', async () => {
  const port = 3010;
  const server = start(port, {
    SESSION_SECRET: TEST_SESSION_SECRET,
    APP_BASE_URL: `http://localhost:${port}`,
  });
  try {
    await ready(`http://localhost:${port}/`);
    const page = await fetch(`http://localhost:${port}/lab`, { redirect: 'manual' });
    expect(page.status).toBe(404);
    // The bench's comparison routes too (lib/bench/enabled.ts): off without BENCH=1.
    expect((await fetch(`http://localhost:${port}/api/bench/empty`)).status).toBe(404);
    for (const path of ['/bff/lab?attack=no-token', '/bff/machine']) {
      const route = await fetch(`http://localhost:${port}${path}`, {
        method: 'POST',
        headers: { 'x-lab-request': '1', Origin: `http://localhost:${port}` },
      });
      expect(route.status, path).toBe(404);
    }
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
});
