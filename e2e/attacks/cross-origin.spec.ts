/**
 * Requests from a page on another origin (a tiny node:http server on 127.0.0.1, another port:
 * cross-site for the app's cookies too), end to end in Chromium against the production build: a
 * forged sign-out (a cross-site form POST, a top-level GET, a POST carrying the session cookie
 * with a foreign Origin) must leave the user signed in with the same session; fetch() and a
 * text/plain form to the BFF must neither read nor write the user's notes, and the app grants no
 * CORS.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { APP_URL } from '../env';
import { readSession, signIn } from '../helpers';
import { BFF_HEADERS } from './helpers';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/**
 * The attacker's site: another origin (127.0.0.1, another port; cross-site for the app's
 * cookies too). Its pages auto-submit forms to the app, or are blank pages to run fetch() from.
 */
async function startAttackerSite(): Promise<{ origin: string; close: () => Promise<void> }> {
  const page = (body: string) =>
    `<!doctype html><html><head><title>attacker</title></head><body>${body}</body></html>`;
  const autoSubmit = (form: string) => page(`${form}<script>document.forms[0].submit()</script>`);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://attacker.invalid');
    const marker = (url.searchParams.get('marker') ?? '').replace(/[^\w-]/g, '');
    const pages: Record<string, string> = {
      '/blank': page('<h1>attacker</h1>'),
      '/logout-post': autoSubmit(
        `<form method="post" action="${APP_URL}/auth/logout"><input type="hidden" name="returnTo" value="/"></form>`,
      ),
      '/logout-get': page(
        `<script>location.href = ${JSON.stringify(`${APP_URL}/auth/logout`)}</script>`,
      ),
      // enctype=text/plain sends `{"text":"<marker>","x":"="}`: JSON, without a CORS preflight.
      '/bff-form': autoSubmit(
        `<form method="post" enctype="text/plain" action="${APP_URL}/bff/notes"><input type="hidden" name='{"text":"${marker}","x":"' value='"}'></form>`,
      ),
    };
    const body = pages[url.pathname];
    res.writeHead(body ? 200 : 404, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
    });
    res.end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Requests from another origin: forged sign-out, BFF
// ---------------------------------------------------------------------------------------------

test.describe('requests from another origin', () => {
  let attacker: Awaited<ReturnType<typeof startAttackerSite>>;
  test.beforeAll(async () => {
    attacker = await startAttackerSite();
  });
  test.afterAll(async () => {
    await attacker.close();
  });

  test('a cross-site sign-out POST and a GET /auth/logout leave the user signed in', async ({
    page,
    context,
  }) => {
    await signIn(page, 'alice');
    await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');
    const before = await readSession(context);

    // The attacker's page auto-submits a form to /auth/logout: refused, 403.
    const forged = page.waitForResponse((r) => r.url() === `${APP_URL}/auth/logout`);
    await page.goto(`${attacker.origin}/logout-post`);
    const post = await forged;
    expect(post.request().method()).toBe('POST');
    expect(post.request().headers().origin).toBe(attacker.origin);
    expect(post.status()).toBe(403);
    expect((await post.headerValue('set-cookie')) ?? '').toBe('');

    // A top-level GET from the attacker's page (this one carries the Lax cookie): 405.
    const navigated = page.waitForResponse((r) => r.url() === `${APP_URL}/auth/logout`);
    await page.goto(`${attacker.origin}/logout-get`);
    const get = await navigated;
    expect(get.request().method()).toBe('GET');
    expect(get.status()).toBe(405);
    expect((await get.headerValue('set-cookie')) ?? '').toBe('');

    // With the session cookie attached (as if SameSite did not apply), the Origin still decides.
    const withCookie = await context.request.post(`${APP_URL}/auth/logout`, {
      headers: { Origin: attacker.origin },
      maxRedirects: 0,
    });
    expect(withCookie.status()).toBe(403);

    // Still signed in, with the same session.
    await page.goto('/dashboard');
    await expect(page).toHaveURL(`${APP_URL}/dashboard`);
    await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');
    const after = await readSession(context);
    expect(after.refreshToken).toBe(before.refreshToken);
    expect(after.createdAt).toBe(before.createdAt);
  });

  test('a page on another origin can neither read nor write through the BFF', async ({
    page,
    context,
  }) => {
    await signIn(page, 'alice');
    await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');
    const marker = `pwned-${Date.now().toString(36)}`;
    const ownNotes = async () => {
      const response = await context.request.get(`${APP_URL}/bff/notes`, { headers: BFF_HEADERS });
      expect(response.status()).toBe(200);
      return (await response.json()) as { sub: string; notes: { text: string }[] };
    };
    const notesBefore = await ownNotes();
    expect(notesBefore.sub).toBe('alice');

    // The app grants no CORS: a preflight gets no Access-Control-Allow-* headers.
    const preflight = await context.request.fetch(`${APP_URL}/bff/notes`, {
      method: 'OPTIONS',
      headers: {
        Origin: attacker.origin,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'x-bff-request',
      },
    });
    expect(preflight.status()).toBeLessThan(500);
    expect(Object.keys(preflight.headers()).filter((h) => h.startsWith('access-control-'))).toEqual(
      [],
    );

    const evil = await context.newPage();
    await evil.goto(`${attacker.origin}/blank`);
    const crossOriginFetch = (init: RequestInit) =>
      evil.evaluate(
        async ({ url, init }) => {
          try {
            const response = await fetch(url, init);
            return { status: response.status, type: response.type, body: await response.text() };
          } catch (err) {
            return { error: String(err) };
          }
        },
        { url: `${APP_URL}/bff/notes`, init },
      );

    // With the BFF header: a preflighted request; the preflight fails, nothing is readable.
    const read = await crossOriginFetch({
      credentials: 'include',
      headers: { 'x-bff-request': '1' },
    });
    expect(read).toEqual({ error: expect.stringContaining('Failed to fetch') });
    const write = await crossOriginFetch({
      method: 'POST',
      credentials: 'include',
      headers: { 'x-bff-request': '1', 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: marker }),
    });
    expect(write).toEqual({ error: expect.stringContaining('Failed to fetch') });
    // Without CORS (no header, a "simple" request): the request is sent, and refused with 403.
    const simple = evil.waitForResponse(
      (r) => r.url() === `${APP_URL}/bff/notes` && r.request().method() === 'POST',
    );
    const opaque = await crossOriginFetch({
      method: 'POST',
      mode: 'no-cors',
      credentials: 'include',
      body: JSON.stringify({ text: marker }),
    });
    expect(opaque).toEqual({ status: 0, type: 'opaque', body: '' });
    expect((await simple).status()).toBe(403);
    // A cross-site form posting JSON-looking text/plain: a top-level navigation, refused with 403.
    const form = evil.waitForResponse((r) => r.url() === `${APP_URL}/bff/notes`);
    await evil.goto(`${attacker.origin}/bff-form?marker=${marker}`);
    expect((await form).status()).toBe(403);

    // Alice's notes are unchanged: the marker was never written.
    const notesAfter = await ownNotes();
    expect(JSON.stringify(notesAfter)).not.toContain(marker);
    for (const note of notesBefore.notes) expect(notesAfter.notes).toContainEqual(note);
  });
});
