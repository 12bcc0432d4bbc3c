/**
 * The login transaction: what the callback needs to finish the login this browser started.
 * One sealed cookie per transaction, named after its `state`, so two tabs signing in at once do
 * not overwrite each other. It lives for 10 minutes and is only sent to /auth/callback.
 */
import { sealData, unsealData } from 'iron-session';
import { config } from '../config';

export const TRANSACTION_TTL_S = 10 * 60;
const COOKIE_PATH = '/auth/callback';
const STATE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export interface Transaction {
  kind: 'oidc-login';
  state: string;
  nonce: string;
  code_verifier: string;
  returnTo: string;
}

export interface CookieToSet {
  name: string;
  value: string;
  options: {
    httpOnly: true;
    sameSite: 'lax';
    secure: boolean;
    path: string;
    maxAge: number;
    expires?: Date;
  };
}

export function transactionCookieName(state: string): string | undefined {
  if (!STATE_PATTERN.test(state)) return undefined;
  return `${config().production ? '__Secure-' : ''}oidc-tx.${state}`;
}

function cookie(name: string, value: string, maxAge: number): CookieToSet {
  const options: CookieToSet['options'] = { httpOnly: true, sameSite: 'lax', secure: config().production, path: COOKIE_PATH, maxAge };
  // Next drops `Max-Age=0`; an expiry in the past is what deletes a cookie.
  if (maxAge === 0) options.expires = new Date(0);
  return { name, value, options };
}

export async function sealTransaction(tx: Transaction): Promise<CookieToSet> {
  const value = await sealData(tx, { password: config().sessionSecret, ttl: TRANSACTION_TTL_S });
  return cookie(transactionCookieName(tx.state)!, value, TRANSACTION_TTL_S);
}

/** The transaction for `state`, or undefined if this browser has none (or it expired). */
export async function openTransaction(
  state: string | null,
  readCookie: (name: string) => string | undefined,
): Promise<Transaction | undefined> {
  const name = state ? transactionCookieName(state) : undefined;
  const sealed = name ? readCookie(name) : undefined;
  if (!sealed) return undefined;
  const tx = await unsealData<Partial<Transaction>>(sealed, {
    password: config().sessionSecret,
    ttl: TRANSACTION_TTL_S,
  });
  if (tx.kind !== 'oidc-login' || tx.state !== state || !tx.nonce || !tx.code_verifier) return undefined;
  return tx as Transaction;
}

/** Deletes the transaction cookie: a transaction is used once, whatever the outcome. */
export function clearTransaction(state: string | null): CookieToSet | undefined {
  const name = state ? transactionCookieName(state) : undefined;
  return name ? cookie(name, '', 0) : undefined;
}

/**
 * Deletes every transaction cookie among `names`. After a failed callback we cannot tell which
 * pending login the response was meant for (its `state` may be missing or forged), so all of
 * them end: fail closed. A login pending in another tab then has to be started again.
 */
export function clearAllTransactions(names: readonly string[]): CookieToSet[] {
  const prefix = `${config().production ? '__Secure-' : ''}oidc-tx.`;
  return names.filter((n) => n.startsWith(prefix)).map((n) => cookie(n, '', 0));
}
