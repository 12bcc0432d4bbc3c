import { getSession } from '@/lib/session/session';
import { signInOff } from '@/lib/deployment-setup';
import { CookieList } from './cookie-list';
import { SignOutButton } from './sign-out-button';
import { loginUrl, ROUTES } from '@/lib/routes';

export const dynamic = 'force-dynamic';

export default async function Home({
  searchParams,
}: {
  searchParams: Promise<{ signedOut?: string }>;
}) {
  // A session store that cannot answer (store mode) shows the page as signed out: it is public.
  const signedIn = (await getSession().catch(() => undefined)) !== undefined;
  const { signedOut } = await searchParams;

  return (
    <div className="space-y-8">
      {/* Only what the app knows: whether the provider ended its session too is the provider's (and your) decision. */}
      {signedOut && !signedIn && (
        <p
          role="status"
          className="rounded-lg bg-emerald-50 px-4 py-3 text-emerald-900"
          data-testid="signed-out-banner"
        >
          {signedOut === 'local'
            ? 'You are signed out of this app. Your session at the identity provider, if you have one, was not touched: signing in again may not ask for your password.'
            : 'You are signed out of this app, and the identity provider was asked to end its session too. It may have asked you whether to: if you chose to stay signed in there, the next sign-in will not ask for your password.'}
        </p>
      )}
      <section className="space-y-4">
        <h1 className="text-3xl font-bold tracking-tight">
          OAuth 2.0 + OpenID Connect, done right
        </h1>
        <p className="max-w-2xl text-slate-600">
          Sign in with Authorization Code + PKCE. The server validates the <strong>ID token</strong>{' '}
          to learn who you are, and keeps the <strong>access token</strong> to call the API on your
          behalf. Your browser only ever holds a sealed, HttpOnly session cookie.
        </p>
      </section>
      <div className="flex gap-3">
        {signedIn ? (
          <>
            {/* Plain links, not <Link>: a prefetch must never start or touch a login. */}
            <a
              href="/dashboard"
              className="rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-500"
            >
              Open dashboard
            </a>
            <SignOutButton />
          </>
        ) : (
          <a
            href={loginUrl(ROUTES.dashboard)}
            className="rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-500"
          >
            Sign in
          </a>
        )}
      </div>
      {/* A preview without sign-in (PREVIEW_SIGN_IN=off) has no session settings to describe. */}
      {!signInOff() && <CookieList />}
    </div>
  );
}
