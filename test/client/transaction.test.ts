/**
 * lib/client/transaction.ts: the sign-in transaction cookie, written through Next's real
 * response cookies and read from real requests (test/support/cookie-jar.ts plays the browser).
 */
import { sealData } from 'iron-session';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Transaction } from '@/lib/client/transaction';
import { MAX_SESSION_BYTES } from '@/lib/session/chunks';
import { BrowserJar, emptyResponse } from '../support/cookie-jar';
import { loadWithEnv } from '../support/env';

// At least 32 characters, as readConfig requires.
/** Like generated secrets: production refuses hand-written samples (lib/config.ts). */
const OLD = 'Qm4TzR8vKp2XwL7nJc5HbF9gYd3SaE6u';
const NEW = 'Vn7BxK2pRt9LmW4zQc8JhD5fGs3YaE1k';

type TransactionModule = typeof import('@/lib/client/transaction');

/** config() is cached on first use: fresh modules and environment for each load. */
async function load(
  env: { NODE_ENV?: string; SESSION_SECRET?: string; SESSION_SECRET_PREVIOUS?: string } = {},
): Promise<TransactionModule> {
  return loadWithEnv(() => import('@/lib/client/transaction'), { SESSION_SECRET: NEW, ...env });
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

let counter = 0;
/** A transaction with a fresh, well-formed state. */
function transaction(overrides: Partial<Transaction> = {}): Transaction {
  const state = `state${String(++counter).padStart(27, 'A')}`;
  return {
    kind: 'oidc-login',
    state,
    nonce: 'nonce-value',
    code_verifier: 'verifier-value',
    returnTo: '/dashboard',
    ...overrides,
  };
}

/** Starts a sign-in as /auth/login does: the browser's cookies in, the response's cookies out. */
async function start(tx: TransactionModule, jar: BrowserJar, t: Transaction): Promise<void> {
  const response = emptyResponse();
  await tx.writeTransaction(response.cookies, jar.request().cookies, t);
  jar.receive(response);
}

describe('the transaction cookie', () => {
  it('round-trips, named after its state', async () => {
    const tx = await load();
    const jar = new BrowserJar();
    const t = transaction();
    await start(tx, jar, t);
    expect(jar.names()).toEqual([`oidc-tx.${t.state}`]);
    expect(await tx.readTransaction(jar.request('/auth/callback').cookies, t.state)).toEqual(t);
  });

  it('in production: __Host- prefix, Secure, Path=/, HttpOnly, SameSite=Lax, no Domain', async () => {
    const tx = await load({ NODE_ENV: 'production' });
    const jar = new BrowserJar();
    const t = transaction();
    await start(tx, jar, t);
    const [name, cookie] = [...jar.cookies][0]!;
    expect(name).toBe(`__Host-oidc-tx.${t.state}`);
    const attributes = cookie.line.toLowerCase();
    for (const attribute of ['; secure', '; path=/;', '; httponly', '; samesite=lax'])
      expect(`${attributes};`).toContain(attribute);
    expect(attributes).not.toContain('domain=');
    expect(await tx.readTransaction(jar.request('/auth/callback').cookies, t.state)).toEqual(t);
  });

  it('is not found under another state, nor for no state, nor a malformed one', async () => {
    const tx = await load();
    const jar = new BrowserJar();
    const [a, b] = [transaction(), transaction()];
    await start(tx, jar, a);
    const cookies = jar.request('/auth/callback').cookies;
    expect(await tx.readTransaction(cookies, b.state)).toBeUndefined();
    expect(await tx.readTransaction(cookies, null)).toBeUndefined();
    expect(await tx.readTransaction(cookies, '')).toBeUndefined();
    // a's seal under b's name: the state inside must match the state asked for.
    const swapped = new BrowserJar();
    swapped.cookies.set(`oidc-tx.${b.state}`, jar.cookies.get(`oidc-tx.${a.state}`)!);
    expect(await tx.readTransaction(swapped.request().cookies, b.state)).toBeUndefined();
    expect(tx.transactionCookieName('short')).toBeUndefined();
    expect(tx.transactionCookieName('bad;state-AAAAAAAAAAAA')).toBeUndefined();
  });

  it.each(['garbage', 'Fe26.2*1*AA*AA*AA**AA*AA~2', 'a*b*c*d*e*f*g*h', '~2'])(
    'reads the garbage value %j as no transaction',
    async (value) => {
      const tx = await load();
      const t = transaction();
      const jar = new BrowserJar();
      jar.cookies.set(`oidc-tx.${t.state}`, { value, line: '' });
      expect(await tx.readTransaction(jar.request().cookies, t.state)).toBeUndefined();
    },
  );

  it('reads a tampered seal, a foreign seal, or a seal of something else as no transaction', async () => {
    const tx = await load();
    const t = transaction();
    const jar = new BrowserJar();
    await start(tx, jar, t);
    const name = `oidc-tx.${t.state}`;
    const parts = jar.cookies.get(name)!.value.split('*');
    parts[4] = `${parts[4]!.slice(0, -2)}${parts[4]!.endsWith('AA') ? 'BB' : 'AA'}`; // the encrypted payload
    const candidates = [
      parts.join('*'),
      await sealData(t, { password: 'another-secret-another-secret-another', ttl: 600 }),
      // The raw secret as a password (not the app's password map): not how the app seals.
      await sealData({ ...t, kind: 'other' }, { password: NEW, ttl: 600 }),
    ];
    for (const value of candidates) {
      jar.cookies.set(name, { value, line: '' });
      expect(await tx.readTransaction(jar.request().cookies, t.state)).toBeUndefined();
    }
  });

  it('expires after 10 minutes', async () => {
    const tx = await load();
    const t = transaction();
    const jar = new BrowserJar();
    await start(tx, jar, t);
    expect(jar.cookies.get(`oidc-tx.${t.state}`)!.line).toMatch(/Max-Age=600/i);
    vi.useFakeTimers({ now: Date.now() + 11 * 60_000 });
    expect(await tx.readTransaction(jar.request().cookies, t.state)).toBeUndefined();
  });
});

describe('bounds: forced sign-ins cannot bloat the Cookie header', () => {
  it(`keeps at most MAX_PENDING_TRANSACTIONS, dropping the oldest`, async () => {
    const tx = await load({ NODE_ENV: 'production' });
    const jar = new BrowserJar();
    jar.cookies.set('__Host-session', { value: 'x'.repeat(100), line: '' }); // not a transaction: untouched
    const started: Transaction[] = [];
    for (let i = 0; i < 25; i++) {
      const t = transaction({ returnTo: `/${'p'.repeat(tx.MAX_RETURN_TO_LENGTH - 1)}` });
      started.push(t);
      await start(tx, jar, t);
    }
    const pending = jar.names().filter((n) => n.startsWith('__Host-oidc-tx.'));
    expect(pending).toEqual(
      started.slice(-tx.MAX_PENDING_TRANSACTIONS).map((t) => `__Host-oidc-tx.${t.state}`),
    );
    expect(jar.names()).toContain('__Host-session');
    // The newest ones still finish; the dropped ones read as expired links.
    expect((await tx.readTransaction(jar.request().cookies, started.at(-1)!.state))?.state).toBe(
      started.at(-1)!.state,
    );
    expect(await tx.readTransaction(jar.request().cookies, started[0]!.state)).toBeUndefined();
    // Each cookie (with the longest returnTo kept) stays under 1 KB; together, with the largest
    // session (MAX_SESSION_BYTES), under the 8 KB per header line proxies commonly allow.
    for (const name of pending)
      expect(name.length + 1 + jar.cookies.get(name)!.value.length).toBeLessThan(1024);
    const transactionBytes = jar.header().length - '__Host-session='.length - 100 - '; '.length;
    expect(transactionBytes + MAX_SESSION_BYTES + '; '.length).toBeLessThan(8 * 1024);
  });

  it('replaces a returnTo longer than MAX_RETURN_TO_LENGTH with "/"', async () => {
    const tx = await load();
    const jar = new BrowserJar();
    const long = transaction({ returnTo: `/${'a'.repeat(tx.MAX_RETURN_TO_LENGTH)}` });
    await start(tx, jar, long);
    expect((await tx.readTransaction(jar.request().cookies, long.state))?.returnTo).toBe('/');
    const fits = transaction({ returnTo: `/${'a'.repeat(tx.MAX_RETURN_TO_LENGTH - 1)}` });
    await start(tx, jar, fits);
    expect((await tx.readTransaction(jar.request().cookies, fits.state))?.returnTo).toBe(
      fits.returnTo,
    );
  });
});

describe('secret rotation', () => {
  it('a sign-in started before SESSION_SECRET rotated still finishes (SESSION_SECRET_PREVIOUS)', async () => {
    const before = await load({ SESSION_SECRET: OLD });
    const jar = new BrowserJar();
    const t = transaction();
    await start(before, jar, t);

    const after = await load({ SESSION_SECRET: NEW, SESSION_SECRET_PREVIOUS: OLD });
    expect(await after.readTransaction(jar.request().cookies, t.state)).toEqual(t);
    // Once OLD is no longer listed, its transactions no longer open.
    const later = await load({ SESSION_SECRET: NEW });
    expect(await later.readTransaction(jar.request().cookies, t.state)).toBeUndefined();
  });
});

describe('deleting', () => {
  it("deletes this state's cookie with an expiry in the past and the same attributes", async () => {
    const tx = await load({ NODE_ENV: 'production' });
    const t = transaction();
    const response = emptyResponse();
    tx.deleteTransaction(response.cookies, t.state);
    const [line] = response.headers.getSetCookie();
    expect(line).toMatch(new RegExp(`^__Host-oidc-tx\\.${t.state}=;`));
    expect(line).toMatch(/Expires=Thu, 01 Jan 1970/i);
    expect(line).toMatch(/Path=\/(;|$)/);
    expect(line).toMatch(/Secure/);
  });

  it('deletes nothing for a missing or malformed state', async () => {
    const tx = await load();
    const response = emptyResponse();
    tx.deleteTransaction(response.cookies, null);
    tx.deleteTransaction(response.cookies, 'bad;state');
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('deletes every pending transaction, and nothing else, after a failed callback', async () => {
    const tx = await load();
    const jar = new BrowserJar();
    jar.cookies.set('session', { value: 'kept', line: '' });
    for (let i = 0; i < 3; i++) await start(tx, jar, transaction());
    const response = emptyResponse();
    tx.deleteAllTransactions(response.cookies, jar.request('/auth/callback').cookies);
    jar.receive(response);
    expect(jar.names()).toEqual(['session']);
  });
});
