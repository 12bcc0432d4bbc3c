/** The friendly sign-in error page. It shows a fixed message for a known reason code, never input. */
import Link from 'next/link';
import { isLoginFailure, LOGIN_FAILURE_MESSAGES } from '@/lib/client/errors';
import { loginUrl, ROUTES } from '@/lib/routes';

export const dynamic = 'force-dynamic';

export default async function LoginErrorPage({
  searchParams,
}: {
  searchParams: Promise<{ reason?: string; ref?: string }>;
}) {
  const { reason, ref } = await searchParams;
  const message = isLoginFailure(reason ?? null)
    ? LOGIN_FAILURE_MESSAGES[reason as keyof typeof LOGIN_FAILURE_MESSAGES]
    : { title: 'Sign-in failed', detail: 'Something went wrong while signing you in.' };
  const reference = ref && /^[a-f0-9-]{1,36}$/.test(ref) ? ref : undefined;

  return (
    <div className="max-w-xl space-y-4 rounded-xl border border-rose-200 bg-white p-8">
      <h1 className="text-2xl font-bold">{message.title}</h1>
      <p className="text-slate-600">{message.detail}</p>
      {reference && (
        <p className="text-sm text-slate-500">
          Error reference: <code className="rounded bg-slate-100 px-1">{reference}</code>
        </p>
      )}
      <div className="flex gap-3">
        <a
          href={loginUrl(ROUTES.dashboard)}
          className="rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white"
        >
          Try again
        </a>
        <Link
          href="/"
          className="rounded-lg px-4 py-2 font-semibold text-slate-700 hover:bg-slate-100"
        >
          Home
        </Link>
      </div>
    </div>
  );
}
