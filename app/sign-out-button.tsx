/** A plain form POST to /auth/logout: no JavaScript needed, and same-origin by construction. */
import { ROUTES } from '@/lib/routes';

export function SignOutButton({ everywhere = false }: { everywhere?: boolean }) {
  return (
    <form method="post" action={ROUTES.logout}>
      {everywhere && <input type="hidden" name="everywhere" value="1" />}
      <button
        type="submit"
        className={
          everywhere
            ? 'rounded-lg border border-slate-300 px-4 py-2 text-sm font-semibold text-slate-700 hover:bg-slate-50'
            : 'rounded-lg bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700'
        }
      >
        {everywhere ? 'Sign out everywhere' : 'Sign out'}
      </button>
    </form>
  );
}
