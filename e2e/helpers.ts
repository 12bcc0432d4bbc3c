import { expect, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { sealData, unsealData } from 'iron-session';
import { isSessionCookie, readSessionCookie, sessionCookieWrites } from '../lib/session/chunks';
import { passwordMaps } from '../lib/cookies/seal';
import { IDP_URL, SESSION_COOKIE, TEST_SESSION_SECRET } from './env';

export interface Session {
  sub: string;
  idToken: string;
  accessToken: string;
  accessTokenExpiresAt: number;
  tokensReceivedAt?: number;
  refreshToken?: string;
  scope: string;
  createdAt: number;
  lastSeenAt: number;
}

/** Signs in through the real local IdP's login page. Starts from `path` (protected or not). */
export async function signIn(
  page: Page,
  user: 'alice' | 'bob',
  path = '/dashboard',
): Promise<void> {
  await page.goto(path);
  await expect(page).toHaveURL(new RegExp(`^${IDP_URL}/interaction/`));
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(user);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * The tokens the app stored for this browser, read by opening the sealed session cookie with
 * the e2e run's SESSION_SECRET: real tokens from the real flow, and no test hook in the app.
 */
export async function readSession(context: BrowserContext): Promise<Session> {
  const jar = new Map((await sessionCookies(context)).map((c) => [c.name, c.value]));
  const sealed = readSessionCookie(SESSION_COOKIE, (name) => jar.get(name));
  expect(sealed, 'session cookie').toBeTruthy();
  const data = await unsealData<Session>(sealed!, {
    password: (await passwordMaps(TEST_SESSION_SECRET)).open,
  });
  expect(data.accessToken).toBeTruthy();
  return data;
}

/** The session's cookies in this browser: `__Host-session`, or its chunks `__Host-session.0`, … */
export async function sessionCookies(context: BrowserContext, url?: string) {
  return (await context.cookies(url)).filter((c) => isSessionCookie(SESSION_COOKIE, c.name));
}

/**
 * The session with its access token made to look expired, as if the tokens had arrived ten
 * minutes ago (tokens younger than a few seconds are never refreshed: lib/client/refresh.ts).
 */
export function expired<T extends Session>(session: T, expiresAt = 0): T {
  return {
    ...session,
    accessTokenExpiresAt: expiresAt,
    tokensReceivedAt: Math.floor(Date.now() / 1000) - 600,
  };
}

/** Replaces the session's content, sealed (and split into cookies) as the app would. */
export async function writeSession(context: BrowserContext, data: Session): Promise<void> {
  const existing = await sessionCookies(context);
  expect(existing.length, 'session cookies').toBeGreaterThan(0);
  const sealed = await sealData(data, {
    password: (await passwordMaps(TEST_SESSION_SECRET)).seal,
    ttl: 12 * 3600,
  });
  for (const write of sessionCookieWrites(
    SESSION_COOKIE,
    sealed,
    existing.map((c) => c.name),
  )) {
    if (write.value)
      await context.addCookies([{ ...existing[0]!, name: write.name, value: write.value }]);
    else await context.clearCookies({ name: write.name });
  }
}

/** How often the local IdP saw this refresh token used (its development-only counter), by outcome. */
export async function refreshesAtProvider(
  refreshToken: string,
): Promise<{ success: number; error: number }> {
  const hash = createHash('sha256').update(refreshToken).digest('hex');
  return (await fetch(`${IDP_URL}/dev/refreshes/${hash}`)).json();
}

/** A client-credentials token from the real local IdP, as a machine client would get one. */
export async function machineToken(): Promise<string> {
  const response = await fetch(`${IDP_URL}/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from('reference-machine-client:local-idp-machine-secret-for-development-only').toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'stats:read' }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { access_token: string; token_type: string };
  expect(body.token_type).toBe('Bearer');
  return body.access_token;
}

/**
 * A screenshot of the page for the README's "Learn the flow": always under test-results/, and
 * into docs/images/ when UPDATE_SCREENSHOTS=1 (so a normal run leaves the tree unchanged).
 */
export async function screenshotForDocs(part: Locator, name: string): Promise<void> {
  const dir = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/images' : 'test-results/screenshots';
  await part.screenshot({ path: `${dir}/${name}.jpg`, type: 'jpeg', quality: 70 });
}
