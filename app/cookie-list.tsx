/**
 * Every cookie the browser holds during sign-in, on the home page: names, what each holds, its
 * attributes and lifetime, and which ones this very request carried. Names and sizes only.
 */
import { cookies } from 'next/headers';
import { LOGOUT_STATE_TTL_S } from '@/lib/client/logout';
import { MAX_PENDING_TRANSACTIONS, TRANSACTION_TTL_S } from '@/lib/client/transaction';
import { config } from '@/lib/config';
import { cookieNames, describeAttributes } from '@/lib/cookies/jar';
import { isSessionCookie } from '@/lib/session/chunks';

export async function CookieList() {
  const { sessionStore } = config();
  const session = cookieNames.session();
  const attributes = describeAttributes();
  const carried = (await cookies()).getAll();
  const here = (match: (name: string) => boolean) =>
    carried.filter((c) => match(c.name)).map((c) => `${c.name} (${c.value.length} characters)`);
  const rows = [
    {
      name: cookieNames.transaction('<state>'),
      holds: `One pending sign-in: state, nonce, the PKCE verifier and where to return, sealed. One per tab signing in, ${MAX_PENDING_TRANSACTIONS} at most (the oldest goes).`,
      attributes,
      lifetime: `${TRANSACTION_TTL_S / 60} minutes; deleted at the callback`,
      present: here((name) => name.startsWith(cookieNames.transactionPrefix())),
    },
    {
      name: `${session} (${session}.0, .1 when split)`,
      holds:
        sessionStore.kind === 'cookie'
          ? 'The session: the tokens, sealed by iron-session (AES-256-CBC, then HMAC-SHA-256). The browser carries it but cannot open it.'
          : 'A sealed session id and what the Edge guard checks; the tokens stay in the session store.',
      attributes,
      lifetime: `until the session's absolute lifetime (${config().sessionMaxAgeS / 3600} h) or sign-out`,
      present: here((name) => isSessionCookie(session, name)),
    },
    {
      name: cookieNames.logoutState(),
      holds:
        "During sign-out only: the state sent to the provider's logout endpoint, and where to return, sealed.",
      attributes,
      lifetime: `${LOGOUT_STATE_TTL_S / 60} minutes; deleted when the provider sends the browser back`,
      present: here((name) => name === cookieNames.logoutState()),
    },
    {
      name: "the provider's own cookies",
      holds:
        'Its login session and the interaction in progress, on its own origin: this app never sees them.',
      attributes: 'set by the provider',
      lifetime: "the provider's",
      present: [] as string[],
    },
  ];
  return (
    <section
      className="rounded-xl border border-slate-200 bg-white p-6"
      aria-labelledby="cookies"
      data-testid="cookie-list"
    >
      <h2 id="cookies" className="text-lg font-semibold">
        The cookies of a sign-in
      </h2>
      <p className="mb-3 text-sm text-slate-500">
        No token is ever readable by JavaScript: every cookie of this app is HttpOnly.
      </p>
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-xs text-slate-500">
            <th className="pr-3">Cookie</th>
            <th className="pr-3">Holds</th>
            <th className="pr-3">Attributes</th>
            <th className="pr-3">Lifetime</th>
            <th>Sent with this page</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.name}
              className="border-t border-slate-100 align-top"
              data-cookie={row.name}
            >
              <td className="py-1 pr-3 font-mono text-xs">{row.name}</td>
              <td className="py-1 pr-3 text-xs">{row.holds}</td>
              <td className="py-1 pr-3 font-mono text-xs">{row.attributes}</td>
              <td className="py-1 pr-3 text-xs">{row.lifetime}</td>
              <td className="py-1 font-mono text-xs" data-testid="cookie-present">
                {row.present.length ? row.present.join(', ') : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
