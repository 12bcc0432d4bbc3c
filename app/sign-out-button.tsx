/** A plain form POST to /auth/logout: no JavaScript needed, and same-origin by construction. */
export function SignOutButton() {
  return (
    <form method="post" action="/auth/logout">
      <button type="submit" className="rounded-lg bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700">
        Sign out
      </button>
    </form>
  );
}
