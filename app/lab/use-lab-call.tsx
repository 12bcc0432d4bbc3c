'use client';
/** A POST from the lab page to one of its routes (with the lab header): the answer, and whether it is running. */
import { useState, useSyncExternalStore } from 'react';
import { LAB_HEADER } from '@/lib/lab/enabled';

export type LabError = { error: string; error_description?: string };

const noSubscription = () => () => {};

export function useLabCall<T>(url: string) {
  const [result, setResult] = useState<T | LabError | null>(null);
  const [busy, setBusy] = useState(false);
  // False in the server render, true once hydrated: a click never lands on a dead button.
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

  async function run() {
    setBusy(true);
    try {
      const response = await fetch(url, { method: 'POST', headers: { [LAB_HEADER]: '1' } });
      setResult((await response.json()) as T | LabError);
    } catch {
      setResult({ error: 'network_error' });
    } finally {
      setBusy(false);
    }
  }
  return { result, busy, ready: hydrated && !busy, run };
}

export function LabErrorLine({ error }: { error: LabError }) {
  return (
    <p className="mt-3 text-xs text-rose-700" data-testid="lab-error">
      {error.error}
      {error.error_description ? `: ${error.error_description}` : ''}
    </p>
  );
}

export function LabButton({
  label,
  busy,
  ready,
  run,
  tone,
}: {
  label: string;
  busy: boolean;
  ready: boolean;
  run: () => void;
  tone: 'attack' | 'call';
}) {
  const colour =
    tone === 'attack' ? 'bg-rose-600 hover:bg-rose-500' : 'bg-indigo-600 hover:bg-indigo-500';
  return (
    <button
      type="button"
      onClick={run}
      disabled={!ready}
      className={`mt-3 rounded-lg px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-50 ${colour}`}
    >
      {busy ? 'Running…' : label}
    </button>
  );
}
