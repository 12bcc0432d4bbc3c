/** OpenID Connect RP-Initiated Logout 1.0 §2: where to send the browser after a local logout. */
import * as oauth from 'oauth4webapi';
import { config } from '../config';
import {
  cookieNames,
  deleteCookie,
  setCookie,
  type CookieSink,
  type CookieSource,
} from '../cookies/jar';
import { seal, unseal } from '../cookies/seal';
import { authorizationServer, client, clientAuth, httpOptions } from './authorization-server';

/** Where sign-out lands by default, after the provider's end-session endpoint sent the browser back. */
export const SIGNED_OUT_PATH = '/?signedOut=1';
/** Where it lands when the provider was not involved (no session, or no end-session endpoint). */
export const SIGNED_OUT_LOCALLY_PATH = '/?signedOut=local';

/**
 * On the last response of a sign-out (the local one, or the provider's return to
 * /auth/logout/callback): the browser deletes every cookie of this site, whatever this app knows
 * of (W3C Clear Site Data §3.1). Not on the redirect to the provider: that response sets the
 * logout-state cookie. On localhost this also ends the local IdP's cookies (cookies ignore ports),
 * which that sign-out ended anyway. SIGN_OUT_CLEAR_SITE_DATA=off turns it off (lib/config.ts says why).
 */
export const CLEAR_COOKIES = { name: 'Clear-Site-Data', value: '"cookies"' } as const;

/** How long the browser may take at the provider's logout page. */
export const LOGOUT_STATE_TTL_S = 10 * 60;

/**
 * What the logout-state cookie holds until the provider sends the browser back to
 * /auth/logout/callback: the `state` sent to it, and where to go then. Sealed like every cookie
 * of this app (lib/cookies/), so it can be neither read nor forged.
 */
export interface LogoutState {
  state?: string;
  returnTo?: string;
}

export async function writeLogoutState(
  sink: CookieSink,
  value: Required<LogoutState>,
): Promise<void> {
  setCookie(
    sink,
    cookieNames.logoutState(),
    await seal(value, LOGOUT_STATE_TTL_S),
    LOGOUT_STATE_TTL_S,
  );
}

/** The logout state this browser holds; empty when none, expired, or not sealed by us. */
export async function readLogoutState(source: CookieSource): Promise<LogoutState> {
  const sealed = source.get(cookieNames.logoutState())?.value;
  if (!sealed) return {};
  const { state, returnTo } = await unseal<LogoutState>(sealed, LOGOUT_STATE_TTL_S);
  return {
    state: typeof state === 'string' ? state : undefined,
    returnTo: typeof returnTo === 'string' ? returnTo : undefined,
  };
}

export function deleteLogoutState(sink: CookieSink): void {
  deleteCookie(sink, cookieNames.logoutState());
}

export async function endSessionUrl(
  idToken: string | undefined,
  state: string,
): Promise<URL | undefined> {
  let as: oauth.AuthorizationServer;
  try {
    as = await authorizationServer();
  } catch {
    return undefined; // provider down: the local session is gone anyway
  }
  const { provider, clientId, postLogoutRedirectUri } = config();
  if (provider.logout === 'none') return undefined; // e.g. Google has no logout endpoint
  if (provider.logout === 'cognito') {
    // Amazon Cognito's own logout endpoint on the hosted-UI domain: client_id and a registered
    // logout_uri; it sends no `state` back, so /auth/logout/callback falls back to the default.
    if (!as.authorization_endpoint) return undefined;
    const url = new URL('/logout', as.authorization_endpoint);
    url.searchParams.set('client_id', clientId);
    url.searchParams.set('logout_uri', postLogoutRedirectUri);
    return url;
  }
  if (!as.end_session_endpoint) return undefined; // the provider advertises none
  const url = new URL(as.end_session_endpoint);
  url.searchParams.set('client_id', client().client_id);
  if (idToken) url.searchParams.set('id_token_hint', idToken);
  url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUri);
  url.searchParams.set('state', state);
  return url;
}

/** RFC 7009: revoke the refresh token, so it dies with the session even if it leaked. */
export async function revokeRefreshToken(refreshToken: string | undefined): Promise<void> {
  if (!refreshToken) return;
  try {
    const as = await authorizationServer();
    if (!as.revocation_endpoint) return;
    const response = await oauth.revocationRequest(as, client(), await clientAuth(), refreshToken, {
      ...httpOptions(),
      additionalParameters: { token_type_hint: 'refresh_token' },
    });
    await oauth.processRevocationResponse(response);
  } catch (err) {
    console.warn(
      JSON.stringify({ event: 'refresh_token_revocation_failed', error: (err as Error).name }),
    );
  }
}
