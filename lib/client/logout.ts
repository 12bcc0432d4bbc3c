/** OpenID Connect RP-Initiated Logout 1.0 §2: where to send the browser after a local logout. */
import * as oauth from 'oauth4webapi';
import { config } from '../config';
import { authorizationServer, client, clientAuth, httpOptions } from './authorization-server';

/** Holds the logout `state` until the provider redirects back to /auth/logout/callback. */
export const LOGOUT_STATE_COOKIE = 'logout-state';

/** Where sign-out lands by default, after the provider's end-session endpoint sent the browser back. */
export const SIGNED_OUT_PATH = '/?signedOut=1';
/** Where it lands when the provider was not involved (no session, or no end-session endpoint). */
export const SIGNED_OUT_LOCALLY_PATH = '/?signedOut=local';

export interface LogoutState {
  state?: string;
  returnTo?: string;
}

export function encodeLogoutState(value: LogoutState): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function decodeLogoutState(cookie: string | undefined): LogoutState {
  try {
    const binary = atob((cookie ?? '').replaceAll('-', '+').replaceAll('_', '/'));
    const value: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    if (typeof value !== 'object' || value === null) return {};
    const { state, returnTo } = value as Record<string, unknown>;
    return { state: typeof state === 'string' ? state : undefined, returnTo: typeof returnTo === 'string' ? returnTo : undefined };
  } catch {
    return {};
  }
}

export async function endSessionUrl(idToken: string | undefined, state: string): Promise<URL | undefined> {
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
    console.warn(JSON.stringify({ event: 'refresh_token_revocation_failed', error: (err as Error).name }));
  }
}
