/**
 * The login transaction: what the callback needs to finish the login this browser started.
 * One sealed cookie per transaction, named after its `state`, so two tabs signing in at once do
 * not overwrite each other. It lives for 10 minutes. Names and attributes are
 * lib/cookies/jar.ts's (`__Host-` in production); sealing, with secret rotation, is
 * lib/cookies/seal.ts's, so a sign-in in progress survives a rotation of SESSION_SECRET.
 *
 * Bounded: at most MAX_PENDING_TRANSACTIONS at once (starting another drops the oldest), each
 * with a returnTo of at most MAX_RETURN_TO_LENGTH. A page that makes the browser start sign-in
 * after sign-in cannot grow the Cookie header past what servers accept.
 */
import {
  cookieNames,
  deleteCookie,
  setCookie,
  type CookieSink,
  type CookieSource,
} from '../cookies/jar';
import { seal, unseal } from '../cookies/seal';

export const TRANSACTION_TTL_S = 10 * 60;
/**
 * Sign-ins in progress at once in one browser (tabs); starting another drops the oldest. With
 * each cookie under 1 KB, the largest session (6 KB, lib/session/chunks.ts) and the pending
 * sign-ins stay under the 8 KB per header line that proxies commonly allow.
 */
export const MAX_PENDING_TRANSACTIONS = 2;
/** A longer returnTo is not kept: the user lands on "/" instead. Keeps each cookie under 1 KB. */
export const MAX_RETURN_TO_LENGTH = 256;
const STATE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export interface Transaction {
  kind: 'oidc-login';
  state: string;
  nonce: string;
  code_verifier: string;
  returnTo: string;
}

/** The cookie of the transaction for `state`; undefined when `state` could not be ours. */
export function transactionCookieName(state: string): string | undefined {
  return STATE_PATTERN.test(state) ? cookieNames.transaction(state) : undefined;
}

/** The transaction cookies the request carries, oldest first (RFC 6265 §5.4: creation order). */
function pending(source: CookieSource): string[] {
  const prefix = cookieNames.transactionPrefix();
  return source
    .getAll()
    .map((c) => c.name)
    .filter((name) => name.startsWith(prefix));
}

/**
 * Writes the transaction's cookie. When MAX_PENDING_TRANSACTIONS are pending already, the oldest
 * are deleted first: that sign-in, if anyone still finishes it, fails as an expired link.
 */
export async function writeTransaction(
  sink: CookieSink,
  source: CookieSource,
  tx: Transaction,
): Promise<void> {
  const name = transactionCookieName(tx.state);
  if (!name) throw new Error('a transaction state is 16 to 128 base64url characters');
  const kept = tx.returnTo.length <= MAX_RETURN_TO_LENGTH ? tx : { ...tx, returnTo: '/' };
  const others = pending(source).filter((n) => n !== name);
  for (const old of others.slice(0, Math.max(0, others.length - (MAX_PENDING_TRANSACTIONS - 1))))
    deleteCookie(sink, old);
  setCookie(sink, name, await seal(kept, TRANSACTION_TTL_S), TRANSACTION_TTL_S);
}

/** The transaction for `state`, or undefined if this browser has none (or it expired). */
export async function readTransaction(
  source: CookieSource,
  state: string | null,
): Promise<Transaction | undefined> {
  const name = state ? transactionCookieName(state) : undefined;
  const sealed = name ? source.get(name)?.value : undefined;
  if (!sealed) return undefined;
  const tx = await unseal<Transaction>(sealed, TRANSACTION_TTL_S);
  if (
    tx.kind !== 'oidc-login' ||
    tx.state !== state ||
    !tx.nonce ||
    !tx.code_verifier ||
    typeof tx.returnTo !== 'string'
  )
    return undefined;
  return tx as Transaction;
}

/** Deletes the transaction's cookie: a transaction is used once, whatever the outcome. */
export function deleteTransaction(sink: CookieSink, state: string | null): void {
  const name = state ? transactionCookieName(state) : undefined;
  if (name) deleteCookie(sink, name);
}

/**
 * Deletes every transaction cookie the request carries. After a failed callback we cannot tell
 * which pending login the response was meant for (its `state` may be missing or forged), so all
 * of them end: fail closed. A login pending in another tab then has to be started again.
 */
export function deleteAllTransactions(sink: CookieSink, source: CookieSource): void {
  for (const name of pending(source)) deleteCookie(sink, name);
}
