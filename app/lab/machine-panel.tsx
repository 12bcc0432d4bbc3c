'use client';
/** The machine client panel: a client-credentials token, decoded, and what /api says to it. */
import type { ShownToken } from '@/lib/explain/tokens';
import { LabButton, LabErrorLine, useLabCall } from './use-lab-call';

interface Call {
  path: string;
  status: number;
  wwwAuthenticate?: string;
  body: string;
}
interface Result {
  tokenType: string;
  expiresIn?: number;
  scope?: string;
  token: ShownToken;
  calls: Call[];
}

export function MachinePanel({ curl }: { curl: string }) {
  const { result, ready, busy, run } = useLabCall<Result>('/bff/machine');

  return (
    <section
      className="rounded-xl border border-slate-200 bg-white p-5"
      data-testid="machine-panel"
    >
      <h2 className="font-semibold">A machine calls the API (client credentials)</h2>
      <p className="mt-1 text-sm text-slate-600">
        No user, no browser, no redirect: the machine client authenticates at the token endpoint as
        itself and gets an access token for the API (RFC 6749 §4.4). <code>/api/stats</code> accepts
        machines; <code>/api/notes</code> holds users&apos; notes and refuses them, saying why in{' '}
        <code>WWW-Authenticate</code>.
      </p>
      <LabButton
        label="Get a machine token and call the API"
        tone="call"
        busy={busy}
        ready={ready}
        run={run}
      />
      {result && 'calls' in result && (
        <div className="mt-4 space-y-3 text-xs" data-testid="machine-result">
          <p>
            token_type <code>{result.tokenType}</code>, expires_in{' '}
            <code>{result.expiresIn ?? '—'}</code>, scope <code>{result.scope ?? '—'}</code>
          </p>
          <table className="w-full">
            <tbody>
              {result.token.claims.map((c) => (
                <tr key={c.name} className="border-t border-slate-100 align-top">
                  <th className="py-0.5 pr-3 text-left font-mono font-medium text-slate-600">
                    {c.name}
                  </th>
                  <td className="py-0.5">
                    <span className="font-mono break-all" data-machine-claim={c.name}>
                      {c.value}
                    </span>
                    <span className="ml-2 text-slate-500">{c.note}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {result.calls.map((call) => (
            <div key={call.path} data-testid={`machine-call-${call.path.slice(5)}`}>
              <p className="font-mono">
                GET {call.path} → <span data-testid="machine-status">{call.status}</span>
              </p>
              {call.wwwAuthenticate && (
                <p
                  className="font-mono break-all text-rose-700"
                  data-testid="machine-www-authenticate"
                >
                  WWW-Authenticate: {call.wwwAuthenticate}
                </p>
              )}
              <pre className="mt-1 max-h-24 overflow-auto rounded bg-slate-900 p-2 text-slate-100">
                {call.body}
              </pre>
            </div>
          ))}
        </div>
      )}
      {result && 'error' in result && <LabErrorLine error={result} />}
      <details className="mt-3 text-xs">
        <summary className="cursor-pointer text-slate-600">The same by hand, with curl</summary>
        <pre
          className="mt-2 overflow-auto rounded bg-slate-900 p-2 text-slate-100"
          data-testid="machine-curl"
        >
          {curl}
        </pre>
      </details>
    </section>
  );
}
