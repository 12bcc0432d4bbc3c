/**
 * The BFF: the browser calls this route with its session cookie; the server calls `/api/notes`
 * with the access token. The token never reaches the browser.
 *
 * Only our own pages may call it: same origin, and a custom header that a cross-site form
 * cannot send (a cross-origin fetch with it needs a CORS preflight, which we never grant).
 */
import { NextResponse, type NextRequest } from 'next/server';
import { API_CHALLENGE_HEADER, BFF_HEADER } from '@/lib/bff';
import { apiGate } from '@/lib/deployment-setup';
import { recordApiCall } from '@/lib/flow/record';
import { fetchApp, isSameOriginRequest } from '@/lib/origin';
import { getFreshSession } from '@/lib/session/session';

export const dynamic = 'force-dynamic';

async function forward(request: NextRequest, init: RequestInit): Promise<Response> {
  const gated = apiGate(); // lib/deployment-setup.ts: the Edge guard does not run on /bff
  if (gated) return gated;
  if (request.headers.get(BFF_HEADER) !== '1' || !isSameOriginRequest(request)) {
    return NextResponse.json(
      { error: 'forbidden', error_description: 'Same-origin requests only.' },
      { status: 403 },
    );
  }
  const fresh = await getFreshSession();
  if (fresh.status === 'signed_out') {
    return NextResponse.json(
      { error: 'signed_out', error_description: 'Sign in again.' },
      { status: 401 },
    );
  }
  if (fresh.status === 'store_unavailable') {
    return NextResponse.json(
      { error: 'session_store_unavailable', error_description: 'Try again shortly.' },
      { status: 503, headers: { 'Retry-After': '5' } },
    );
  }
  if (fresh.status === 'provider_unavailable') {
    return NextResponse.json(
      { error: 'provider_unavailable', error_description: 'Try again shortly.' },
      { status: 503 },
    );
  }
  const api = await fetchApp('/api/notes', {
    ...init,
    headers: { ...init.headers, Authorization: `Bearer ${fresh.session.accessToken}` },
  });
  recordApiCall(fresh.session, {
    at: Date.now(),
    via: 'bff',
    method: init.method ?? 'GET',
    path: '/api/notes',
    status: api.status,
    wwwAuthenticate: api.headers.get('www-authenticate') ?? undefined,
  });
  const body: unknown = await api.json().catch(() => null);
  // The API's challenge, for the page to show (as its own header: the browser authenticates
  // with a cookie here, so a Bearer WWW-Authenticate would be the wrong challenge).
  const challenge = api.headers.get('www-authenticate');
  return NextResponse.json(body, {
    status: api.status,
    headers: challenge ? { [API_CHALLENGE_HEADER]: challenge } : {},
  });
}

export function GET(request: NextRequest) {
  return forward(request, { method: 'GET' });
}

export async function POST(request: NextRequest) {
  const text = await request.text();
  if (text.length > 2_000) {
    return NextResponse.json({ error: 'too_large' }, { status: 413 });
  }
  return forward(request, {
    method: 'POST',
    body: text,
    headers: { 'Content-Type': 'application/json' },
  });
}
