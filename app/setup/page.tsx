/**
 * The setup doctor in the browser, development only: the same checks as `npm run doctor`
 * (lib/doctor), plus, for a signed-in visitor, the checks /api makes on the session's access
 * token. Only that token's decoded header and claims are shown, never the token or its signature.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { notFound } from 'next/navigation';
import { runDoctor, summarize, type Finding, type Status } from '@/lib/doctor/doctor';
import { getSession } from '@/lib/session/session';

export const dynamic = 'force-dynamic';

const BADGES: Record<Status, { label: string; className: string }> = {
  ok: { label: '✔ ok', className: 'bg-emerald-50 text-emerald-800' },
  warn: { label: '! warn', className: 'bg-amber-50 text-amber-900' },
  fail: { label: '✖ fail', className: 'bg-rose-50 text-rose-800' },
  info: { label: '· info', className: 'bg-slate-100 text-slate-600' },
};

/** The session's access token, if there is a session (a broken configuration is the doctor's to report). */
async function sessionAccessToken(): Promise<string | undefined> {
  try {
    return (await getSession())?.accessToken;
  } catch {
    return undefined;
  }
}

/** Header and claims only: the signature segment is dropped. Undefined for an opaque token. */
function decoded(
  token: string,
): { header: Record<string, unknown>; claims: Record<string, unknown> } | undefined {
  try {
    return { header: decodeProtectedHeader(token), claims: decodeJwt(token) };
  } catch {
    return undefined;
  }
}

function FindingsTable({ findings, testId }: { findings: Finding[]; testId: string }) {
  return (
    <table className="w-full text-sm" data-testid={testId}>
      <tbody>
        {findings.map((finding, i) => (
          <tr
            key={`${finding.check}-${i}`}
            className="border-t border-slate-100 align-top"
            data-check={finding.check}
            data-status={finding.status}
          >
            <td className="py-2 pr-3 whitespace-nowrap">
              <span
                className={`rounded px-2 py-0.5 text-xs font-semibold ${BADGES[finding.status].className}`}
              >
                {BADGES[finding.status].label}
              </span>
            </td>
            <th className="py-2 pr-4 text-left font-medium whitespace-nowrap text-slate-700">
              {finding.check}
            </th>
            <td className="py-2 break-words">
              <p>{finding.detail}</p>
              {finding.fix && (
                <p className="mt-1 text-slate-600">
                  <span className="font-semibold">Fix:</span> {finding.fix}
                </p>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ClaimsTable({
  title,
  values,
  testId,
}: {
  title: string;
  values: Record<string, unknown>;
  testId: string;
}) {
  return (
    <div>
      <h3 className="mb-2 text-sm font-semibold text-slate-500">{title}</h3>
      <table className="w-full text-sm" data-testid={testId}>
        <tbody>
          {Object.entries(values).map(([name, value]) => (
            <tr key={name} className="border-t border-slate-100">
              <th className="py-1 pr-4 text-left font-mono font-medium text-slate-600">{name}</th>
              <td className="py-1 font-mono break-all">
                {typeof value === 'object' ? JSON.stringify(value) : String(value)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default async function SetupPage() {
  if (process.env.NODE_ENV === 'production') notFound();

  const accessToken = await sessionAccessToken();
  const findings = await runDoctor(
    process.env,
    accessToken ? { token: accessToken, tokenLabel: "your session's access token" } : {},
  );
  const counts = summarize(findings);
  // The token checks come last; the first of them is "access token".
  const split = findings.findIndex((f) => f.check === 'access token');
  const provider = split < 0 ? findings : findings.slice(0, split);
  const token = split < 0 ? [] : findings.slice(split);
  const parts = accessToken ? decoded(accessToken) : undefined;

  return (
    <div className="space-y-8">
      <section className="space-y-2">
        <h1 className="text-2xl font-bold">Setup doctor</h1>
        <p className="text-slate-600">
          Checks the configured identity provider the way this app and its API will use it, and says
          what to fix. The same report in a terminal:{' '}
          <code className="rounded bg-slate-100 px-1">npm run doctor</code>.
        </p>
        <p
          className={`text-sm font-semibold ${counts.fail ? 'text-rose-700' : 'text-emerald-700'}`}
          data-testid="doctor-summary"
        >
          {counts.ok} ok, {counts.warn} warning{counts.warn === 1 ? '' : 's'}, {counts.fail} failed,{' '}
          {counts.info} info
        </p>
      </section>

      <section
        className="rounded-xl border border-slate-200 bg-white p-6"
        aria-labelledby="provider"
      >
        <h2 id="provider" className="mb-4 text-lg font-semibold">
          Configuration and provider
        </h2>
        <FindingsTable findings={provider} testId="doctor-provider" />
      </section>

      <section className="rounded-xl border border-slate-200 bg-white p-6" aria-labelledby="token">
        <h2 id="token" className="text-lg font-semibold">
          Access token
        </h2>
        <p className="mb-4 text-sm text-slate-500">
          {accessToken
            ? "Your session's access token, checked as /api checks it (what to look at when /api answers wrong_audience)."
            : 'Without a session, the token from the client-credentials grant, if the provider gave one. Sign in to check your own.'}
        </p>
        <FindingsTable findings={token} testId="doctor-token" />
        {parts && (
          <div className="mt-6 grid gap-6 md:grid-cols-2">
            <ClaimsTable title="Header" values={parts.header} testId="doctor-token-header" />
            <ClaimsTable title="Claims" values={parts.claims} testId="doctor-token-claims" />
          </div>
        )}
      </section>
    </div>
  );
}
