/**
 * POST /auth/backchannel-logout: OpenID Connect Back-Channel Logout 1.0. The provider posts a
 * logout token (form field `logout_token`) when the user signs out at the provider; the sessions
 * it names end here, on every instance (store mode). Server to server: no cookie, no CSRF check;
 * the signed token is the authentication.
 *
 * §2.8: 200 when the logout succeeded; 400 with an error when the token is invalid; no caching.
 * In cookie mode there are no server-side sessions to end: 501.
 */
import { createRemoteJWKSet } from 'jose';
import { authorizationServer } from '@/lib/client/authorization-server';
import { LogoutTokenError, validateLogoutToken } from '@/lib/client/backchannel-logout';
import { config } from '@/lib/config';
import { logEvent } from '@/lib/log';
import {
  endProviderSessions,
  firstUse,
  storeFailure,
  storeMode,
  StoreError,
} from '@/lib/session/session';

export const dynamic = 'force-dynamic';

/** How long a logout token's `jti` is remembered: longer than such a token is accepted. */
const JTI_MEMORY_MS = 10 * 60 * 1000;

let keys: { uri: string; get: ReturnType<typeof createRemoteJWKSet> } | undefined;

function error(status: number, code: string, description: string): Response {
  return Response.json({ error: code, error_description: description }, { status });
}

export async function POST(request: Request): Promise<Response> {
  if (!storeMode())
    return error(
      501,
      'not_supported',
      'Back-channel logout needs the session store (SESSION_STORE=memory or redis).',
    );
  if (
    !request.headers
      .get('content-type')
      ?.toLowerCase()
      .startsWith('application/x-www-form-urlencoded')
  ) {
    return error(400, 'invalid_request', 'Send the logout_token as a form field.');
  }
  const body = await request.text();
  if (body.length > 16 * 1024) return error(400, 'invalid_request', 'The request is too large.');
  const tokens = new URLSearchParams(body).getAll('logout_token');
  if (tokens.length !== 1 || !tokens[0])
    return error(400, 'invalid_request', 'Send exactly one logout_token.');

  try {
    const as = await authorizationServer();
    if (!as.jwks_uri) throw new Error('the issuer metadata has no jwks_uri');
    if (keys?.uri !== as.jwks_uri)
      keys = {
        uri: as.jwks_uri,
        get: createRemoteJWKSet(new URL(as.jwks_uri), { timeoutDuration: 5_000 }),
      };
    const named = await validateLogoutToken(tokens[0], {
      issuer: as.issuer,
      clientId: config().clientId,
      algorithm: config().idTokenSigningAlg,
      keys: keys.get,
      // §2.6 step 8: a `jti` seen before is a replay. Remembered in the store, for every instance.
      firstUse: (jti) => firstUse(`logout-jti:${as.issuer}:${jti}`, JTI_MEMORY_MS),
    });
    const ended = await endProviderSessions(named);
    logEvent('backchannel_logout', { sub: named.sub, sessionsEnded: ended });
    return new Response(null, { status: 200 });
  } catch (err) {
    if (err instanceof LogoutTokenError) {
      logEvent('backchannel_logout_refused', { reason: err.reason });
      return error(400, 'invalid_request', 'The logout token is invalid.');
    }
    logEvent(
      'backchannel_logout_failed',
      err instanceof StoreError ? storeFailure(err) : { reason: 'provider_unavailable' },
    );
    // Not the provider's fault: it may retry.
    return error(503, 'temporarily_unavailable', 'Try again later.');
  }
}
