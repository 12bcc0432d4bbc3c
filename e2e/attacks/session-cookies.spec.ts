/**
 * Bad session cookies against the production build: tampered (ciphertext, HMAC, expiry),
 * truncated, expired, idle, an iron seal past its own expiry, sealed with another secret, a valid
 * seal of the wrong shape, garbage, bad percent-encoding, oversized, empty. With each, /dashboard
 * must redirect to sign in (deleting the cookie), the home page must be the signed-out one, the
 * BFF must answer 401 and /auth/refresh must send the browser to sign in; never a 5xx. Then in a
 * browser: a tampered cookie leads to the IdP's login page and is gone.
 */
import { expect, test } from '@playwright/test';
import { sealData } from 'iron-session';
import { passwordMaps } from '../../lib/cookies/seal';
import { APP_URL, IDP_URL, SESSION_COOKIE, TEST_SESSION_SECRET } from '../env';
import { readSession, signIn, type Session } from '../helpers';
import { BFF_HEADERS, sessionCookie } from './helpers';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** A session cookie sealed as the app seals it, with any password. */
async function seal(data: object, secret = TEST_SESSION_SECRET): Promise<string> {
  return sealData(data, { password: (await passwordMaps(secret)).seal, ttl: 12 * 3600 });
}

// ---------------------------------------------------------------------------------------------
// Bad session cookies
// ---------------------------------------------------------------------------------------------

/** Replaces the character at `index` by another base64url character. */
function flip(value: string, index: number): string {
  const c = value[index]!;
  return `${value.slice(0, index)}${c === 'A' ? 'B' : 'A'}${value.slice(index + 1)}`;
}

test('bad session cookies: sign-in redirects, signed-out pages and 401s, never a 5xx', async ({
  page,
  context,
  browser,
}) => {
  await signIn(page, 'alice');
  await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');
  const real = (await sessionCookie(context))!.value;
  const session: Session = await readSession(context);
  const now = Math.floor(Date.now() / 1000);
  // Fe26.2*<password id>*<salt>*<iv>*<ciphertext>*<expiry>*<hmac salt>*<hmac>~2
  const parts = real.split('*');
  const cipherAt = parts.slice(0, 4).join('*').length + 1 + Math.floor(parts[4]!.length / 2);

  // An iron seal whose own expiry (the ttl) has passed, sealed 13 hours ago.
  const realNow = Date.now;
  let ironExpired: string;
  try {
    Date.now = () => realNow() - 13 * 3600 * 1000;
    ironExpired = await seal({
      ...session,
      createdAt: now - 13 * 3600,
      lastSeenAt: now - 13 * 3600,
    });
  } finally {
    Date.now = realNow;
  }

  const cases: Record<string, string> = {
    'tampered ciphertext': flip(real, cipherAt),
    'tampered hmac': flip(real, real.length - 5),
    'tampered expiry': real.replace(`*${parts[5]}*`, `*${Number(parts[5]) + 86_400_000}*`),
    truncated: real.slice(0, -10),
    'expired (createdAt 13 h ago)': await seal({ ...session, createdAt: now - 13 * 3600 }),
    'idle (lastSeenAt 2 h ago)': await seal({ ...session, lastSeenAt: now - 2 * 3600 }),
    'expired iron seal': ironExpired,
    'sealed with another secret': await seal(
      session,
      'another-secret-that-is-32-characters-long!!',
    ),
    'valid seal, wrong shape': await seal({ sub: 'alice', admin: true }),
    garbage: 'not-a-session',
    'garbage seal': 'Fe26.2*1*aaaa*bbbb*cccc*9999999999999*dddd*eeee~2',
    'bad percent-encoding': 'Fe26.2*%E0%A4%A*x',
    'oversized (5000 chars)': `${real}${'A'.repeat(5000)}`.slice(0, 5000),
    empty: '',
  };

  // The control: the real cookie opens the dashboard.
  const control = await fetch(`${APP_URL}/dashboard`, {
    headers: { Cookie: `${SESSION_COOKIE}=${real}` },
    redirect: 'manual',
  });
  expect(control.status).toBe(200);
  expect(await control.text()).toContain('Who you are');

  /**
   * Cookies the app reads as "no cookie": an empty value, and one that does not percent-decode
   * (Next's cookie parser drops it). Nothing is deleted, and the next sign-in overwrites them.
   */
  const KEPT = new Set(['empty', 'bad percent-encoding']);
  const report: string[] = [];
  for (const [name, value] of Object.entries(cases)) {
    const headers = { Cookie: `${SESSION_COOKIE}=${value}` };
    const get = (path: string, extra: Record<string, string> = {}) =>
      fetch(`${APP_URL}${path}`, { headers: { ...headers, ...extra }, redirect: 'manual' });

    const dashboard = await get('/dashboard');
    const home = await get('/');
    const bff = await get('/bff/notes', BFF_HEADERS);
    const refresh = await get('/auth/refresh?returnTo=/dashboard');
    report.push(
      `${name}: /dashboard ${dashboard.status}, / ${home.status}, /bff/notes ${bff.status}, /auth/refresh ${refresh.status}`,
    );

    for (const r of [dashboard, home, bff, refresh])
      expect(r.status, `${name}: ${r.url}`).toBeLessThan(500);
    expect(dashboard.status, name).toBe(307);
    expect(dashboard.headers.get('location'), name).toBe('/auth/login?returnTo=%2Fdashboard');
    const deletion = dashboard.headers
      .getSetCookie()
      .find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (KEPT.has(name)) {
      // The app never sees these as a session cookie at all (see KEPT).
      expect(deletion, `${name}: nothing to delete`).toBeUndefined();
    } else {
      // The guard deletes the bad cookie: empty, expired, with the attributes __Host- needs.
      expect(deletion, `${name}: Set-Cookie deleting the session`).toBeDefined();
      expect(deletion!).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
      expect(deletion!).toMatch(/Expires=Thu, 01 Jan 1970 00:00:00 GMT|Max-Age=0/i);
      expect(deletion!).toMatch(/;\s*Path=\/(;|$)/i);
      expect(deletion!).toMatch(/;\s*Secure(;|$)/i);
      expect(deletion!).not.toMatch(/Domain=/i);
    }

    expect(home.status, name).toBe(200);
    const homeHtml = await home.text();
    expect(homeHtml, name).toContain('href="/auth/login?returnTo=%2Fdashboard"');
    expect(homeHtml, name).not.toContain('Sign out');

    expect(bff.status, name).toBe(401);
    expect(bff.headers.get('content-type'), name).toContain('application/json');
    expect(await bff.json(), name).toMatchObject({ error: 'signed_out' });

    expect(refresh.status, name).toBe(303);
    expect(refresh.headers.get('location'), name).toBe(
      `${APP_URL}/auth/login?returnTo=%2Fdashboard`,
    );
  }
  test.info().annotations.push({ type: 'bad session cookies', description: report.join('\n') });

  // In a browser (without an IdP session, so the IdP asks for credentials): a tampered cookie
  // sends the user to sign in, and is gone afterwards.
  const cookie = (await sessionCookie(context))!;
  const other = await browser.newContext();
  try {
    await other.addCookies([{ ...cookie, value: cases['tampered ciphertext']! }]);
    expect((await sessionCookie(other))?.value).toBe(cases['tampered ciphertext']);
    const victim = await other.newPage();
    await victim.goto('/dashboard');
    await expect(victim).toHaveURL(new RegExp(`^${IDP_URL}/interaction/`));
    await expect(victim.getByLabel('Password')).toBeVisible();
    expect(await sessionCookie(other)).toBeUndefined();
  } finally {
    await other.close();
  }
});
