'use client';
/** Runs one lab attack through POST /bff/lab and shows what the app answered. */
import type { LabOutcome } from '@/lib/lab/attacks';
import { LabButton, LabErrorLine, useLabCall } from './use-lab-call';

export function RunAttack({ id }: { id: string }) {
  const { result, busy, ready, run } = useLabCall<LabOutcome>(
    `/bff/lab?attack=${encodeURIComponent(id)}`,
  );

  return (
    <div>
      <LabButton label="Run" tone="attack" busy={busy} ready={ready} run={run} />
      {result && 'status' in result && (
        <dl
          className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs"
          data-testid="lab-result"
        >
          <dt className="text-slate-500">Sent</dt>
          <dd className="font-mono break-all">{result.sent}</dd>
          <dt className="text-slate-500">Status</dt>
          <dd className="font-mono" data-testid="lab-status">
            {result.status}
          </dd>
          {result.location && (
            <>
              <dt className="text-slate-500">Location</dt>
              <dd className="font-mono break-all" data-testid="lab-location">
                {result.location}
              </dd>
            </>
          )}
          {result.wwwAuthenticate && (
            <>
              <dt className="text-slate-500">WWW-Authenticate</dt>
              <dd className="font-mono break-all" data-testid="lab-www-authenticate">
                {result.wwwAuthenticate}
              </dd>
            </>
          )}
          {result.reason && (
            <>
              <dt className="text-slate-500">Reason logged</dt>
              <dd className="font-mono" data-testid="lab-reason">
                {result.reason}
              </dd>
            </>
          )}
          {result.body && (
            <>
              <dt className="text-slate-500">Body</dt>
              <dd className="max-h-24 overflow-auto font-mono break-all">{result.body}</dd>
            </>
          )}
          <dt className="text-slate-500">Verdict</dt>
          <dd
            data-testid="lab-verdict"
            className={
              result.stopped
                ? 'font-semibold text-emerald-700'
                : result.limitation
                  ? 'font-semibold text-amber-700'
                  : 'font-semibold text-rose-700'
            }
          >
            {result.stopped
              ? 'Stopped'
              : result.limitation
                ? 'Not stopped, by design'
                : 'NOT stopped: this is a bug'}
          </dd>
          {result.limitation && (
            <dd className="col-span-2 text-amber-800" data-testid="lab-limitation">
              {result.limitation}
            </dd>
          )}
        </dl>
      )}
      {result && 'error' in result && <LabErrorLine error={result} />}
    </div>
  );
}
