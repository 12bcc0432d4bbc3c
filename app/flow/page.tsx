/**
 * The flow inspector: this user's last sign-in replayed as numbered steps, with the real values
 * the app saw (lib/flow/record.ts), what was checked, and the spec section. Rendered on the
 * server; no token, no unused verifier and no secret reaches the browser.
 */
import { decodeJwt } from 'jose';
import { cookies, headers } from 'next/headers';
import { GUARD_HEADER } from '@/lib/guard';
import { ID_TOKEN_CHECKS, readableTime } from '@/lib/explain/tokens';
import { readFlow, type FlowRecord } from '@/lib/flow/record';
import { config } from '@/lib/config';
import { isSessionCookie, MAX_COOKIE_BYTES } from '@/lib/session/chunks';
import { cookieNames } from '@/lib/cookies/jar';
import type { SessionData } from '@/lib/session/options';
import { requireSession } from '@/lib/session/session';
import { FlowDiagram } from './diagram';

export const dynamic = 'force-dynamic';

function Step({
  n,
  title,
  spec,
  children,
}: {
  n: number;
  title: string;
  spec: string;
  children: React.ReactNode;
}) {
  return (
    <section
      className="rounded-xl border border-slate-200 bg-white p-5 focus-within:ring-2 focus-within:ring-indigo-300"
      data-step={n}
      data-testid={`flow-step-${n}`}
    >
      <h2 className="font-semibold">
        <button type="button" className="text-left" data-step={n}>
          {n}. {title}
        </button>
      </h2>
      <p className="text-xs text-slate-400">{spec}</p>
      <div className="mt-3 space-y-2 text-sm">{children}</div>
    </section>
  );
}

function Pairs({ rows, testId }: { rows: Array<[string, React.ReactNode]>; testId?: string }) {
  return (
    <table className="w-full text-xs" data-testid={testId}>
      <tbody>
        {rows.map(([name, value]) => (
          <tr key={name} className="border-t border-slate-100 align-top">
            <th className="py-1 pr-3 text-left font-mono font-medium whitespace-nowrap text-slate-600">
              {name}
            </th>
            <td className="py-1 font-mono break-all" data-value={name}>
              {value}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const Ok = ({ ok }: { ok: boolean }) =>
  ok ? (
    <span className="text-emerald-700">✓ equal</span>
  ) : (
    <span className="text-rose-700">✗ different</span>
  );

function Session({
  session,
  sizes,
}: {
  session: SessionData;
  sizes: Array<{ name: string; bytes: number }>;
}) {
  const storeMode = config().sessionStore.kind !== 'cookie';
  // What the cookie holds: the fields, by size, never their values.
  const fields = storeMode
    ? ['sid', 'sub', 'createdAt', 'lastSeenAt']
    : (Object.keys(session) as Array<keyof SessionData>).filter((k) => session[k] !== undefined);
  return (
    <>
      {sizes.map((c) => (
        <div key={c.name}>
          <p className="font-mono text-xs">
            {c.name}: <span data-testid="flow-cookie-bytes">{c.bytes}</span> of {MAX_COOKIE_BYTES}{' '}
            bytes
          </p>
          <meter
            className="w-full"
            min={0}
            max={MAX_COOKIE_BYTES}
            low={3000}
            high={3800}
            optimum={500}
            value={c.bytes}
          />
        </div>
      ))}
      <p>
        {storeMode
          ? `Store mode (${config().sessionStore.kind}): the cookie holds a sealed session id and what the Edge guard needs; the tokens are in the store.`
          : 'Cookie mode: the whole session, sealed by iron-session (AES-256-CBC, then HMAC-SHA-256) and HttpOnly. The browser holds it but cannot open it.'}
      </p>
      <p className="text-xs text-slate-500" data-testid="flow-cookie-fields">
        Holds: {fields.join(', ')}.
      </p>
    </>
  );
}

export default async function Flow() {
  const session = await requireSession('/flow');
  const record: FlowRecord | undefined = readFlow(session);
  const jar = await cookies();
  const name = cookieNames.session();
  const sizes = jar
    .getAll()
    .filter((c) => isSessionCookie(name, c.name))
    .map((c) => ({ name: c.name, bytes: c.name.length + 1 + c.value.length }));
  const idClaims = decodeJwt(session.idToken);
  const sent = new Map(record?.authorization?.params ?? []);

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Your sign-in, step by step</h1>
        <p className="mt-2 max-w-3xl text-sm text-slate-600">
          The Authorization Code flow with PKCE (RFC 6749 §4.1, RFC 7636, OpenID Connect Core §3.1)
          as this app ran it for your current session, with the values it saw. Point at a step to
          find it in the diagram.
        </p>
      </div>
      <FlowDiagram />
      <section
        className="rounded-xl border border-slate-200 bg-white p-5 text-sm"
        data-testid="flow-guard"
      >
        <h2 className="font-semibold">
          Before this page: what the Edge guard checked (middleware.ts, lib/guard.ts)
        </h2>
        <p className="mt-1 text-xs text-slate-500">
          On every page request, before anything renders. An optimistic first check; this page then
          re-checked the session on the server.
        </p>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-xs">
          <li>the path percent-decodes (otherwise a 400);</li>
          <li>a fresh nonce for this response&apos;s Content-Security-Policy;</li>
          <li>
            this page is not public, so the session cookie must open (seal intact, this app&apos;s
            secret) within the idle ({config().sessionIdleTimeoutS / 60} min) and absolute (
            {config().sessionMaxAgeS / 3600} h) lifetimes:{' '}
            <code data-testid="flow-guard-verdict">
              {(await headers()).get(GUARD_HEADER) ?? 'not recorded'}
            </code>
            ;
          </li>
          <li>the last-activity time is written back at most once a minute (the idle timer).</li>
        </ul>
      </section>
      {!record ? (
        <p className="rounded-lg bg-amber-50 p-4 text-sm text-amber-900" data-testid="flow-missing">
          This server process has no record of your sign-in (it keeps them in memory: after a
          restart, or on another instance, there is none). Sign out and in again to see it.
        </p>
      ) : (
        <>
          <Step
            n={1}
            title="Discovery: the provider's metadata and keys"
            spec="OpenID Connect Discovery 1.0 §4, RFC 8414, RFC 7517"
          >
            <Pairs
              testId="flow-discovery"
              rows={[
                ['issuer', record.discovery?.issuer ?? ''],
                ...Object.entries(record.discovery?.endpoints ?? {}),
              ]}
            />
            <p className="text-xs">JWKS keys, by kid:</p>
            <ul className="font-mono text-xs" data-testid="flow-keys">
              {record.discovery?.keys.map((k) => (
                <li key={k.kid ?? k.kty} data-kid={k.kid}>
                  {k.kid ?? '(no kid)'} · {k.kty} {k.alg ?? ''} {k.use ?? ''}
                </li>
              ))}
            </ul>
          </Step>

          <Step
            n={2}
            title="The authorization request (the browser is sent to the provider)"
            spec="RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC Core §3.1.2.1"
          >
            <p className="text-xs text-slate-500">
              To {record.authorization?.endpoint}, at{' '}
              {record.authorization ? readableTime(record.authorization.at) : '?'}. The verifier
              stays in the sealed transaction cookie; only its challenge travels.
            </p>
            <Pairs testId="flow-authorization" rows={record.authorization?.params ?? []} />
          </Step>

          <Step
            n={3}
            title="The callback (the provider sends the browser back)"
            spec="RFC 6749 §4.1.2, §10.12; RFC 9207 §2"
          >
            <Pairs
              testId="flow-callback"
              rows={[
                ['code', record.callback?.code ?? ''],
                ['state', record.callback?.state ?? ''],
                [
                  'state = the one sent in step 2',
                  <Ok
                    key="s"
                    ok={
                      record.callback?.state === sent.get('state') &&
                      !!record.callback?.stateMatched
                    }
                  />,
                ],
                ['iss', record.callback?.iss ?? '(not sent)'],
                [
                  'iss = the issuer',
                  record.callback?.iss ? (
                    <Ok key="i" ok={record.callback.iss === record.discovery?.issuer} />
                  ) : (
                    '—'
                  ),
                ],
              ]}
            />
          </Step>

          <Step
            n={4}
            title="The token request (server to server)"
            spec="RFC 6749 §4.1.3, RFC 7636 §4.5–4.6"
          >
            <Pairs
              testId="flow-token-request"
              rows={[
                ['grant_type', record.tokenRequest?.grantType ?? ''],
                ['client authentication', record.tokenRequest?.clientAuthMethod ?? ''],
                ['redirect_uri', record.tokenRequest?.redirectUri ?? ''],
                ['code_verifier (used, now worthless)', record.tokenRequest?.codeVerifier ?? ''],
                ['BASE64URL(SHA256(verifier))', record.tokenRequest?.computedChallenge ?? ''],
                ['code_challenge sent in step 2', record.tokenRequest?.sentChallenge ?? ''],
                [
                  'proof',
                  <Ok
                    key="p"
                    ok={
                      !!record.tokenRequest &&
                      record.tokenRequest.computedChallenge === record.tokenRequest.sentChallenge
                    }
                  />,
                ],
              ]}
            />
          </Step>

          <Step n={5} title="The token response" spec="RFC 6749 §5.1, OIDC Core §3.1.3.3">
            <Pairs
              testId="flow-token-response"
              rows={[
                ['token_type', record.tokenResponse?.tokenType ?? ''],
                ['expires_in', String(record.tokenResponse?.expiresIn ?? '')],
                ['scope', record.tokenResponse?.scope ?? ''],
                ['id_token', 'yes (its claims: step 6, and the dashboard)'],
                ['refresh_token', record.tokenResponse?.refreshToken ? 'yes' : 'no'],
              ]}
            />
          </Step>

          <Step n={6} title="The ID token checks" spec="OIDC Core §3.1.3.7">
            <ul className="space-y-1 text-xs" data-testid="flow-id-token-checks">
              {ID_TOKEN_CHECKS.map((c) => (
                <li key={c.what}>
                  <span className="text-emerald-700">✓</span> {c.what}{' '}
                  <span className="text-slate-400">({c.spec})</span>
                </li>
              ))}
            </ul>
            <Pairs
              testId="flow-nonce"
              rows={[
                ['nonce sent in step 2', sent.get('nonce') ?? ''],
                ['nonce in the ID token', String(idClaims.nonce ?? '')],
                ['nonce', <Ok key="n" ok={sent.get('nonce') === idClaims.nonce} />],
              ]}
            />
          </Step>

          <Step
            n={7}
            title="The session"
            spec="RFC 6265 §4.1, §6.1; OAuth 2.0 for Browser-Based Apps §6.1 (BFF)"
          >
            <Session session={session} sizes={sizes} />
          </Step>

          <Step
            n={8}
            title="Since sign-in: refreshes and API calls"
            spec="RFC 6749 §6, RFC 6750 §2.1, §3"
          >
            <p className="text-xs font-semibold">Refreshes</p>
            {record.refreshes.length === 0 ? (
              <p className="text-xs text-slate-500" data-testid="flow-no-refresh">
                None yet: the access token is refreshed shortly before it expires.
              </p>
            ) : (
              <ul className="text-xs" data-testid="flow-refreshes">
                {record.refreshes.map((r) => (
                  <li key={r.at}>
                    {readableTime(r.at)}: a new access token for {r.expiresIn} s
                    {r.rotated ? ', and a new refresh token (rotation)' : ''}
                  </li>
                ))}
              </ul>
            )}
            <p className="pt-2 text-xs font-semibold">The last calls to /api</p>
            <ul className="space-y-1 font-mono text-xs" data-testid="flow-api-calls">
              {[...record.apiCalls].reverse().map((c, i) => (
                <li key={`${c.at}-${i}`} data-path={c.path} data-status={c.status}>
                  {readableTime(c.at)} {c.method} {c.path} ({c.via}) → {c.status}
                  {c.wwwAuthenticate && (
                    <span className="block text-rose-700">
                      WWW-Authenticate: {c.wwwAuthenticate}
                    </span>
                  )}
                </li>
              ))}
            </ul>
            <p className="pt-2 text-xs text-slate-500">
              Revocation comes at sign-out: the app revokes the refresh token at the provider (RFC
              7009) and ends the session.
            </p>
          </Step>
        </>
      )}
    </div>
  );
}
