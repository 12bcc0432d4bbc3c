/**
 * The ID token and the access token side by side: decoded on the server (lib/explain/tokens.ts),
 * each claim explained, the differences marked, and the checks each one passed. Only decoded
 * headers and claims reach the browser, never a token or its signature.
 */
import {
  ACCESS_TOKEN_CHECKS,
  explainToken,
  ID_TOKEN_CHECKS,
  readableTime,
  type Check,
  type ShownClaim,
  type ShownToken,
} from '@/lib/explain/tokens';
import { Countdown } from './countdown';

export interface TokenComparisonProps {
  idToken: string;
  accessToken: string;
  accessTokenExpiresAt: number;
  /** When the current tokens arrived, and when the session began: a later arrival was a refresh. */
  tokensReceivedAt?: number;
  createdAt: number;
  /** The status /api/me gave this access token just now (undefined where /api cannot be used). */
  apiStatus?: number;
}

const utc = (epochS: number) => readableTime(epochS * 1000);

function duration(s: number): string {
  if (s % 3600 === 0) return `${s / 3600} h`;
  if (s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}

function ClaimRows({ claims }: { claims: ShownClaim[] }) {
  return (
    <>
      {claims.map((c) => (
        <tr
          key={c.name}
          className={`border-t border-slate-100 align-top ${c.differs ? 'bg-amber-50' : ''}`}
          data-differs={c.differs || undefined}
        >
          <th className="py-1 pr-3 text-left font-mono font-medium text-slate-600">{c.name}</th>
          <td className="py-1">
            <div className="font-mono break-all" data-claim={c.name}>
              {c.value}
            </div>
            {c.time && (
              <div className="text-xs text-slate-500" data-time={c.name}>
                {readableTime(Date.parse(c.time))}
              </div>
            )}
            <div className="text-xs text-slate-500">{c.note}</div>
          </td>
        </tr>
      ))}
    </>
  );
}

function Checks({
  checks,
  passed,
  title,
}: {
  checks: readonly Check[];
  passed: boolean;
  title: string;
}) {
  return (
    <div className="mt-4">
      <h4 className="text-sm font-semibold">{title}</h4>
      <ul className="mt-1 space-y-1 text-xs">
        {checks.map((c) => (
          <li key={c.what} className="flex gap-2">
            <span aria-hidden className={passed ? 'text-emerald-600' : 'text-slate-400'}>
              {passed ? '✓' : '·'}
            </span>
            <span>
              {c.what} <span className="text-slate-400">({c.spec})</span>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function TokenColumn({
  token,
  title,
  subtitle,
  testId,
  children,
}: {
  token: ShownToken;
  title: string;
  subtitle: string;
  testId: string;
  children: React.ReactNode;
}) {
  return (
    <div className="min-w-0 rounded-lg border border-slate-200 p-4" data-testid={testId}>
      <h3 className="font-semibold">{title}</h3>
      <p className="text-sm text-slate-500">{subtitle}</p>
      {token.format === 'opaque' ? (
        <p className="mt-3 text-sm">
          An opaque reference ({token.length} characters), not a JWT: there is nothing to decode.{' '}
          <code>/api</code> asks the provider about it (token introspection, RFC 7662).
        </p>
      ) : (
        <table className="mt-3 w-full text-sm">
          <tbody>
            <tr>
              <th
                colSpan={2}
                className="pt-1 text-left text-xs tracking-wide text-slate-400 uppercase"
              >
                Header
              </th>
            </tr>
            <ClaimRows claims={token.header} />
            <tr>
              <th
                colSpan={2}
                className="pt-3 text-left text-xs tracking-wide text-slate-400 uppercase"
              >
                Claims
              </th>
            </tr>
          </tbody>
          <tbody data-testid={`${testId}-claims`}>
            <ClaimRows claims={token.claims} />
          </tbody>
        </table>
      )}
      <p className="mt-3 text-xs text-slate-500">
        {token.length} characters
        {token.lifetimeS !== undefined && <>, valid for {duration(token.lifetimeS)} (exp − iat)</>}.
      </p>
      {children}
    </div>
  );
}

export function TokenComparison(props: TokenComparisonProps) {
  const id = explainToken(props.idToken, 'id');
  const access = explainToken(props.accessToken, 'access');
  const refreshedAt =
    props.tokensReceivedAt !== undefined && props.tokensReceivedAt > props.createdAt
      ? props.tokensReceivedAt
      : undefined;
  return (
    <section
      className="rounded-xl border border-slate-200 bg-white p-6"
      aria-labelledby="tokens"
      data-testid="token-comparison"
    >
      <h2 id="tokens" className="text-lg font-semibold">
        The two tokens, side by side
      </h2>
      <p className="mb-4 text-sm text-slate-500">
        Decoded on the server: header and claims only, never the token or its signature. Rows{' '}
        <span className="bg-amber-50 px-1">marked like this</span> are the ones that tell the two
        apart. Both live on the server side of this app (in the sealed session cookie, or in the
        session store); your browser holds neither.
      </p>
      <div className="grid gap-4 lg:grid-cols-2">
        <TokenColumn
          token={id}
          title="ID token"
          subtitle="Who you are. For this app (OpenID Connect)."
          testId="id-token"
        >
          <Checks
            title="Checked once, at sign-in (lib/client/callback.ts)"
            checks={ID_TOKEN_CHECKS}
            passed
          />
        </TokenColumn>
        <TokenColumn
          token={access}
          title="Access token"
          subtitle="What you may do. For the API (OAuth 2.0)."
          testId="access-token"
        >
          <p className="mt-2 text-sm">
            Expires in <Countdown expiresAt={props.accessTokenExpiresAt} /> (
            {utc(props.accessTokenExpiresAt)}).
          </p>
          <p className="mt-1 text-xs text-slate-500" data-testid="access-token-origin">
            {refreshedAt
              ? `Replaced by a refresh at ${utc(refreshedAt)}: the one from sign-in (${utc(props.createdAt)}) is gone.`
              : `Issued at sign-in (${utc(props.createdAt)}); the app refreshes it shortly before it expires.`}
          </p>
          <Checks
            title={
              props.apiStatus === undefined
                ? 'What /api would check (lib/resource-server/access-token.ts)'
                : `Checked by /api on every call: GET /api/me just answered ${props.apiStatus}`
            }
            checks={ACCESS_TOKEN_CHECKS}
            passed={props.apiStatus === 200}
          />
        </TokenColumn>
      </div>
    </section>
  );
}
