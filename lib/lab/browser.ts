/**
 * A second browser for the lab, driven over HTTP: it signs in at the local IdP with a demo
 * account, through the app's own /auth/login and the IdP's login form, and stops at the
 * callback, so a card can replay what it got (the authorization code, the session cookie).
 * Only against the local IdP, whose login form and demo accounts are known.
 */
import { appUrl, fetchApp } from '../origin';

const TIMEOUT_MS = 8_000;

/** Cookies by name, from Set-Cookie headers (no attributes kept: one host each). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';', 1)[0]!;
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1);
      const expired = /;\s*max-age=0/i.test(line) || /;\s*expires=Thu, 01 Jan 1970/i.test(line);
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export interface SignedInBrowser {
  /** The app's cookies after the callback (the session). */
  app: CookieJar;
  /** The callback URL the IdP sent the browser to (code, state, iss), as a path of the app. */
  callbackPath: string;
  /** The app's cookies at the callback: the pending sign-in's transaction cookie. */
  transactionCookies: string;
  /** The app's answer to the callback. */
  callback: Response;
}

/** Signs in as `user` (a demo account: its password is its name), like a browser would. */
export async function signInAs(user: 'alice' | 'bob', issuer: string): Promise<SignedInBrowser> {
  const app = new CookieJar();
  const idp = new CookieJar();

  const login = await fetchApp('/auth/login?returnTo=%2Fdashboard', { redirect: 'manual' });
  app.take(login);
  let next = login.headers.get('location');
  const idpOrigin = new URL(issuer).origin;
  // Follow the IdP's redirects; post the login form when it shows.
  for (let hop = 0; next && hop < 10; hop++) {
    const url = new URL(next, idpOrigin);
    if (url.origin !== idpOrigin) break;
    const interaction = /^\/interaction\/([\w-]+)$/.exec(url.pathname);
    const response = interaction
      ? await fetch(new URL(`/interaction/${interaction[1]}/login`, idpOrigin), {
          method: 'POST',
          headers: { Cookie: idp.header(), 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ login: user, password: user }),
          redirect: 'manual',
          signal: AbortSignal.timeout(TIMEOUT_MS),
        })
      : await fetch(url, {
          headers: { Cookie: idp.header() },
          redirect: 'manual',
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
    idp.take(response);
    next = response.headers.get('location');
  }
  if (!next) throw new Error('the IdP did not send the browser back');
  const callbackUrl = new URL(next, appUrl('/'));
  if (callbackUrl.origin !== appUrl('/').origin || callbackUrl.pathname !== '/auth/callback')
    throw new Error(`the IdP sent the browser to ${callbackUrl.pathname}`);
  const callbackPath = `${callbackUrl.pathname}${callbackUrl.search}`;
  const transactionCookies = app.header();
  const callback = await fetchApp(callbackPath, {
    headers: { Cookie: transactionCookies },
    redirect: 'manual',
  });
  app.take(callback);
  return { app, callbackPath, transactionCookies, callback };
}
