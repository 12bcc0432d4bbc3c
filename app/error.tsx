'use client';
/**
 * What a page shows when its rendering fails: a friendly page, never a stack trace. On the
 * server, Next logs the error with its digest; the digest shown here lets a user quote it, and
 * in production Next sends the browser no message, only the digest.
 */
import Link from 'next/link';

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div
      className="max-w-xl space-y-4 rounded-xl border border-slate-200 bg-white p-8"
      role="alert"
      data-testid="error-page"
    >
      <h1 className="text-2xl font-bold">Something went wrong</h1>
      <p className="text-slate-600">
        This page could not be shown. Nothing was changed; you can try again.
      </p>
      {error.digest && (
        <p className="text-sm text-slate-500">
          Reference: <code data-testid="error-digest">{error.digest}</code>
        </p>
      )}
      <div className="flex gap-3">
        <button
          type="button"
          onClick={reset}
          className="rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white"
        >
          Try again
        </button>
        <Link href="/" className="rounded-lg border border-slate-300 px-4 py-2 font-semibold">
          Home
        </Link>
      </div>
    </div>
  );
}
