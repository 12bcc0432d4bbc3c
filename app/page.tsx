import { getSession } from '@/lib/session/session';
import { SignOutButton } from './sign-out-button';

export const dynamic = 'force-dynamic';

export default async function Home({ searchParams }: { searchParams: Promise<{ signedOut?: string }> }) {
  // A session store that cannot answer (store mode) shows the page as signed out: it is public.
  const signedIn = (await getSession().catch(() => undefined)) !== undefined;
  const { signedOut } = await searchParams;

  return (
    <div className="space-y-8">
      {signedOut && !signedIn && (
        <p role="status" className="rounded-lg bg-emerald-50 px-4 py-3 text-emerald-900">
          You are signed out, here and at the identity provider.
        </p>
      )}
      <section className="space-y-4">
        <h1 className="text-3xl font-bold tracking-tight">OAuth 2.0 + OpenID Connect, done right</h1>
        <p className="max-w-2xl text-slate-600">
          Sign in with Authorization Code + PKCE. The server validates the <strong>ID token</strong> to learn who you are,
          and keeps the <strong>access token</strong> to call the API on your behalf. Your browser only ever holds a
          sealed, HttpOnly session cookie.
        </p>
      </section>
      <div className="flex gap-3">
        {signedIn ? (
          <>
            {/* Plain links, not <Link>: a prefetch must never start or touch a login. */}
            <a href="/dashboard" className="rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-500">
              Open dashboard
            </a>
            <SignOutButton />
          </>
        ) : (
          <a
            href="/auth/login?returnTo=/dashboard"
            className="rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-500"
          >
            Sign in
          </a>
        )}
      </div>
    </div>
  );
}
