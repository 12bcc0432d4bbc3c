/**
 * Every path of the app that code links to, redirects to or registers, in one place: the Edge
 * guard, the pages, the route handlers and the local IdP's client registration build them from
 * here. Erasable TypeScript with no imports: the local IdP runs it under Node's type stripping.
 */
export const ROUTES = {
  home: '/',
  dashboard: '/dashboard',
  setup: '/setup',
  /** Starts a sign-in (Authorization Code + PKCE). */
  login: '/auth/login',
  /** The redirect URI registered at the provider. */
  callback: '/auth/callback',
  refresh: '/auth/refresh',
  /** Sign-out: POST only. */
  logout: '/auth/logout',
  /** The post-logout redirect URI registered at the provider. */
  logoutCallback: '/auth/logout/callback',
  /** Where the provider posts logout tokens (OpenID Connect Back-Channel Logout). */
  backchannelLogout: '/auth/backchannel-logout',
  /** The sign-in error page: a page, public. */
  error: '/auth/error',
  /** The session store cannot answer: a 503 page. */
  unavailable: '/auth/unavailable',
} as const;

/** Sign in, then go back to `returnTo` (a same-origin path; lib/client/return-to.ts checks it again). */
export function loginUrl(returnTo: string = ROUTES.dashboard): string {
  return `${ROUTES.login}?${new URLSearchParams({ returnTo })}`;
}

/** Refresh the tokens, then go back to `returnTo`. */
export function refreshUrl(returnTo: string): string {
  return `${ROUTES.refresh}?${new URLSearchParams({ returnTo })}`;
}

/** The sign-in error page for a reason code, with the reference logged beside it. */
export function errorUrl(reason: string, ref?: string): string {
  return `${ROUTES.error}?${new URLSearchParams(ref ? { reason, ref } : { reason })}`;
}
