/**
 * Helpers the attack suites of this folder (./*.spec.ts) share: the app's URL, the headers of a
 * same-origin BFF call, the app's responses to a page (none may be a 5xx), and the session cookie
 * of a browser. Not a spec file.
 */
import {
  expect,
  type BrowserContext,
  type Cookie,
  type Page,
  type Response,
} from '@playwright/test';
import { APP_URL, SESSION_COOKIE } from '../env';

export const APP = new URL(APP_URL);
export const BFF_HEADERS = { 'x-bff-request': '1', Origin: APP_URL };

/** Every response the app sends to this page; none may be a 5xx. */
export function recordAppResponses(page: Page): Response[] {
  const responses: Response[] = [];
  page.on('response', (r) => {
    if (r.url().startsWith(APP_URL)) responses.push(r);
  });
  return responses;
}

export function expectNo5xx(responses: Response[]): void {
  const failed = responses.filter((r) => r.status() >= 500).map((r) => `${r.status()} ${r.url()}`);
  expect(failed, 'responses with a 5xx status').toEqual([]);
}

/** The app's session cookie in this browser, if it has one. */
export async function sessionCookie(context: BrowserContext): Promise<Cookie | undefined> {
  return (await context.cookies(APP_URL)).find((c) => c.name === SESSION_COOKIE);
}
