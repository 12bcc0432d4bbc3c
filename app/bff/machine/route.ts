/**
 * POST /bff/machine: the machine client panel of the lab. Runs the client-credentials grant on
 * the server (lib/client/machine.ts), then calls /api/stats and /api/notes with that token, and
 * answers the decoded token (never the token) with what /api said. Same rules as /bff/lab.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { explainToken } from '@/lib/explain/tokens';
import { machineAccessToken } from '@/lib/client/machine';
import { config } from '@/lib/config';
import { refuseLabRequest } from '@/lib/lab/request';
import { logEvent } from '@/lib/log';
import { fetchApp } from '@/lib/origin';
import { getSession } from '@/lib/session/session';

export const dynamic = 'force-dynamic';

export async function POST(request: NextRequest) {
  const refused = refuseLabRequest(request);
  if (refused) return refused;
  if (!(await getSession().catch(() => undefined)))
    return NextResponse.json(
      { error: 'signed_out', error_description: 'Sign in again.' },
      { status: 401 },
    );
  if (!config().localIdp)
    return NextResponse.json(
      {
        error: 'unavailable',
        error_description: 'The machine client panel needs the local identity provider.',
      },
      { status: 409 },
    );

  let token;
  try {
    token = await machineAccessToken();
  } catch (err) {
    logEvent('machine_token_failed', { cause: err instanceof Error ? err.message : 'unknown' });
    return NextResponse.json(
      { error: 'token_request_failed', error_description: 'The identity provider gave no token.' },
      { status: 502 },
    );
  }
  const calls = await Promise.all(
    ['/api/stats', '/api/notes'].map(async (path) => {
      const response = await fetchApp(path, {
        headers: { Authorization: `Bearer ${token.accessToken}` },
      });
      return {
        path,
        status: response.status,
        wwwAuthenticate: response.headers.get('www-authenticate') ?? undefined,
        body: (await response.text()).slice(0, 600),
      };
    }),
  );
  return NextResponse.json({
    tokenType: token.tokenType,
    expiresIn: token.expiresIn,
    scope: token.scope,
    token: explainToken(token.accessToken, 'access'),
    calls,
  });
}
