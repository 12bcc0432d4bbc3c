/**
 * The 404 page, rendered per request (not prerendered) so that it carries the request's CSP
 * nonce like every other page.
 */
import Link from 'next/link';
import { connection } from 'next/server';

export default async function NotFound() {
  await connection();
  return (
    <div className="max-w-xl space-y-4 rounded-xl border border-slate-200 bg-white p-8">
      <h1 className="text-2xl font-bold">Page not found</h1>
      <p className="text-slate-600">There is nothing at this address.</p>
      <Link
        href="/"
        className="inline-block rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white"
      >
        Home
      </Link>
    </div>
  );
}
