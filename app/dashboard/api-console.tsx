'use client';
/** Calls the API through the BFF (/bff/notes). The browser sends its cookie, never a token. */
import { useState, useSyncExternalStore } from 'react';
import { API_CHALLENGE_HEADER, BFF_HEADER } from '@/lib/bff';

interface Result {
  label: string;
  status: number;
  body: unknown;
  /** The API's WWW-Authenticate (RFC 6750 §3), forwarded by the BFF. */
  challenge?: string;
  /** Why the API refused, worked out once when the answer arrives. */
  why?: string;
}

/**
 * Why the API refused, in its own words: RFC 6750's error code from the challenge, then the
 * API's error_description (a caller type, a missing scope, or the API's own permission rule).
 */
function why(result: Omit<Result, 'why'>): string | undefined {
  if (result.status < 400) return undefined;
  const code =
    /error="([^"]+)"/.exec(result.challenge ?? '')?.[1] ??
    (result.body as { error?: string } | null)?.error;
  const description = (result.body as { error_description?: string } | null)?.error_description;
  const scope = /scope="([^"]+)"/.exec(result.challenge ?? '')?.[1];
  const origin =
    code === 'insufficient_scope'
      ? 'the token lacks what this call needs'
      : code === 'forbidden'
        ? "the token has the scope; the API's own rule refused it"
        : code === 'invalid_token'
          ? 'the token itself was refused'
          : undefined;
  return [code, origin, description, scope ? `needs scope: ${scope}` : undefined]
    .filter(Boolean)
    .join(' · ');
}

const noSubscription = () => () => {};

export function ApiConsole() {
  const [text, setText] = useState('Remember the milk');
  const [result, setResult] = useState<Result | null>(null);
  const [busy, setBusy] = useState(false);
  // False in the server render, true once hydrated: a click never lands on a dead button.
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

  async function call(label: string, init: RequestInit) {
    setBusy(true);
    try {
      const response = await fetch('/bff/notes', {
        ...init,
        headers: { ...init.headers, [BFF_HEADER]: '1' },
      });
      const answer: Result = {
        label,
        status: response.status,
        body: await response.json().catch(() => null),
        challenge: response.headers.get(API_CHALLENGE_HEADER) ?? undefined,
      };
      setResult({ ...answer, why: why(answer) });
    } catch {
      setResult({ label, status: 0, body: { error: 'network_error' } });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="rounded-xl border border-slate-200 bg-white p-6" aria-labelledby="bff">
      <h2 id="bff" className="text-lg font-semibold">
        Call the API through the BFF
      </h2>
      <p className="mb-4 text-sm text-slate-500">
        The browser calls <code>/bff/notes</code> with its session cookie; the server attaches the
        access token.
      </p>
      <div className="flex flex-wrap gap-3">
        <button
          type="button"
          disabled={busy || !hydrated}
          onClick={() => call('GET /api/notes', { method: 'GET' })}
          className="rounded-lg border border-slate-300 px-4 py-2 text-sm font-semibold hover:bg-slate-50 disabled:opacity-50"
        >
          Read my notes
        </button>
        <input
          aria-label="Note text"
          disabled={!hydrated}
          value={text}
          onChange={(e) => setText(e.target.value)}
          className="min-w-60 flex-1 rounded-lg border border-slate-300 px-3 py-2 text-sm"
        />
        <button
          type="button"
          disabled={busy || !hydrated}
          onClick={() =>
            call('POST /api/notes', {
              method: 'POST',
              body: JSON.stringify({ text }),
              headers: { 'Content-Type': 'application/json' },
            })
          }
          className="rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-50"
        >
          Add a note
        </button>
      </div>
      {result && (
        <div className="mt-4" data-testid="bff-result">
          <p className="text-sm">
            {result.label}: status <span data-testid="bff-status">{result.status}</span>
          </p>
          {result.challenge && (
            <p
              className="mt-1 font-mono text-xs break-all text-rose-700"
              data-testid="bff-www-authenticate"
            >
              WWW-Authenticate: {result.challenge}
            </p>
          )}
          {result.why && (
            <p className="mt-1 text-xs text-slate-600" data-testid="bff-why">
              Why: {result.why}
            </p>
          )}
          <pre
            className="mt-2 overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100"
            data-testid="bff-body"
          >
            {JSON.stringify(result.body, null, 2)}
          </pre>
        </div>
      )}
    </section>
  );
}
