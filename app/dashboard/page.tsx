/**
 * The split, side by side: the ID token's claims (who you are) next to what the API says this
 * access token may do. Rendered on the server; no token is sent to the browser.
 */
import { decodeJwt } from 'jose';
import { config } from '@/lib/config';
import { fetchApp } from '@/lib/origin';
import { recordApiCall } from '@/lib/flow/record';
import type { SessionData } from '@/lib/session/options';
import { requireSession } from '@/lib/session/session';
import { SignOutButton } from '../sign-out-button';
import { ApiConsole } from './api-console';
import { TokenComparison } from './token-comparison';
import { labEnabled } from '@/lib/lab/enabled';

export const dynamic = 'force-dynamic';

async function callApi(
  path: string,
  session: SessionData,
): Promise<{ status: number; body: unknown }> {
  try {
    const response = await fetchApp(path, {
      headers: { Authorization: `Bearer ${session.accessToken}` },
    });
    recordApiCall(session, {
      at: Date.now(),
      via: 'dashboard',
      method: 'GET',
      path,
      status: response.status,
      wwwAuthenticate: response.headers.get('www-authenticate') ?? undefined,
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  } catch {
    return { status: 503, body: { error: 'api_unreachable' } };
  }
}

export default async function Dashboard() {
  const session = await requireSession('/dashboard');
  // The ID token was validated (signature, iss, aud, exp, iat, nonce) when the session was created.
  const claims = decodeJwt(session.idToken);
  const { provider } = config();
  // Some providers sign users in but issue no access tokens this API can validate (Google).
  const api = provider.api.supported
    ? await Promise.all([callApi('/api/me', session), callApi('/api/notes', session)])
    : undefined;

  return (
    <div className="space-y-8">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-bold">
          Hello, <span data-testid="user-name">{String(claims.name ?? claims.sub)}</span>
        </h1>
        <div className="flex items-center gap-3">
          <a href="/flow" className="text-sm font-semibold text-indigo-700 hover:underline">
            Your sign-in, step by step →
          </a>
          {labEnabled() && (
            <a href="/lab" className="text-sm font-semibold text-rose-700 hover:underline">
              Attack lab →
            </a>
          )}
          {/* Store mode only: a cookie-mode session cannot be ended anywhere but in this browser. */}
          {config().sessionStore.kind !== 'cookie' && <SignOutButton everywhere />}
          <SignOutButton />
        </div>
      </div>
      <div className="grid gap-6 md:grid-cols-2">
        <section className="rounded-xl border border-slate-200 bg-white p-6" aria-labelledby="who">
          <h2 id="who" className="text-lg font-semibold">
            Who you are
          </h2>
          <p className="mb-4 text-sm text-slate-500">
            From the ID token (OpenID Connect), validated at sign-in: all its claims are below
          </p>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            {(['name', 'email', 'sub'] as const).map((name) =>
              claims[name] === undefined ? null : (
                <div key={name} className="contents">
                  <dt className="font-mono text-slate-600">{name}</dt>
                  <dd className="font-mono break-all">{String(claims[name])}</dd>
                </div>
              ),
            )}
          </dl>
        </section>
        <section className="rounded-xl border border-slate-200 bg-white p-6" aria-labelledby="what">
          <h2 id="what" className="text-lg font-semibold">
            What you may do
          </h2>
          {api ? (
            <>
              <p className="mb-4 text-sm text-slate-500">
                <code>GET /api/me</code> and <code>GET /api/notes</code>, called by the server with
                the access token (OAuth 2.0)
              </p>
              <p className="text-sm">
                Status <span data-testid="api-me-status">{api[0].status}</span>
              </p>
              <pre
                className="mt-2 overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100"
                data-testid="api-me-body"
              >
                {JSON.stringify(api[0].body, null, 2)}
              </pre>
              <p className="mt-4 text-sm">
                Notes: status <span data-testid="api-notes-status">{api[1].status}</span>
              </p>
              <pre
                className="mt-2 overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100"
                data-testid="api-notes-body"
              >
                {JSON.stringify(api[1].body, null, 2)}
              </pre>
            </>
          ) : (
            <p
              className="rounded-lg bg-amber-50 p-4 text-sm text-amber-900"
              data-testid="api-unsupported"
            >
              {provider.label}: {provider.api.supported ? '' : provider.api.reason} See{' '}
              <code>{provider.guide}</code>.
            </p>
          )}
        </section>
      </div>
      <TokenComparison
        idToken={session.idToken}
        accessToken={session.accessToken}
        accessTokenExpiresAt={session.accessTokenExpiresAt}
        tokensReceivedAt={session.tokensReceivedAt}
        createdAt={session.createdAt}
        apiStatus={api?.[0].status}
      />
      {api && <ApiConsole />}
    </div>
  );
}
