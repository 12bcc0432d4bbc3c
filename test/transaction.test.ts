import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Transaction } from '@/lib/client/transaction';

// 40 characters: readConfig requires at least 32.
const SECRET = 'test-session-secret-0123456789-abcdefghi';

type TransactionModule = typeof import('@/lib/client/transaction');

/**
 * lib/config.ts caches config() on first use, so each test gets fresh modules and its own
 * environment. Only SESSION_SECRET is set: the other settings take their local-IdP defaults.
 */
async function load(nodeEnv: string = 'test'): Promise<TransactionModule> {
  vi.resetModules();
  vi.stubEnv('SESSION_SECRET', SECRET);
  vi.stubEnv('NODE_ENV', nodeEnv);
  for (const name of ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_SCOPES', 'APP_BASE_URL', 'API_AUDIENCE']) {
    vi.stubEnv(name, undefined);
  }
  return import('@/lib/client/transaction');
}

const STATE_A = 'stateAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const STATE_B = 'stateBBBBBBBBBBBBBBBBBBBBBBBBBBB';

function transaction(state: string): Transaction {
  return { kind: 'oidc-login', state, nonce: 'nonce-value', code_verifier: 'verifier-value', returnTo: '/dashboard' };
}

/** A cookie jar as the callback route sees it. */
function jar(cookies: Record<string, string>): (name: string) => string | undefined {
  return (name) => cookies[name];
}

describe('login transaction cookie', () => {
  let tx: TransactionModule;

  beforeEach(async () => {
    tx = await load();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('names the cookie after a well-formed state', () => {
    expect(tx.transactionCookieName(STATE_A)).toBe(`oidc-tx.${STATE_A}`);
    expect(tx.transactionCookieName('a'.repeat(16))).toBe(`oidc-tx.${'a'.repeat(16)}`);
    expect(tx.transactionCookieName('A-_z'.repeat(32))).toBe(`oidc-tx.${'A-_z'.repeat(32)}`);
  });

  it.each([
    ['empty', ''],
    ['15 characters (too short)', 'a'.repeat(15)],
    ['129 characters (too long)', 'a'.repeat(129)],
    ['a dot', 'abcdefgh.ijklmnop'],
    ['a semicolon', 'abcdefgh;ijklmnop'],
    ['an equals sign', 'abcdefgh=ijklmnop'],
    ['a space', 'abcdefgh ijklmnop'],
    ['a trailing newline', `${'a'.repeat(16)}\n`],
    ['a slash', 'abcdefgh/ijklmnop'],
  ])('has no cookie name for a state with %s', (_label, state) => {
    expect(tx.transactionCookieName(state)).toBeUndefined();
  });

  it('seals a transaction into an httpOnly, lax, 10-minute cookie scoped to the callback', async () => {
    const cookie = await tx.sealTransaction(transaction(STATE_A));
    expect(cookie.name).toBe(`oidc-tx.${STATE_A}`);
    expect(cookie.value).not.toContain('verifier-value');
    expect(cookie.value).not.toContain('nonce-value');
    expect(cookie.options).toEqual({ httpOnly: true, sameSite: 'lax', secure: false, path: '/auth/callback', maxAge: 600 });
    expect(tx.TRANSACTION_TTL_S).toBe(600);
  });

  it('round-trips through sealTransaction and openTransaction', async () => {
    const cookie = await tx.sealTransaction(transaction(STATE_A));
    const opened = await tx.openTransaction(STATE_A, jar({ [cookie.name]: cookie.value }));
    expect(opened).toEqual(transaction(STATE_A));
  });

  it('keeps two transactions apart', async () => {
    const a = await tx.sealTransaction(transaction(STATE_A));
    const b = await tx.sealTransaction(transaction(STATE_B));
    const read = jar({ [a.name]: a.value, [b.name]: b.value });
    expect((await tx.openTransaction(STATE_A, read))?.state).toBe(STATE_A);
    expect((await tx.openTransaction(STATE_B, read))?.state).toBe(STATE_B);
  });

  it('refuses the seal of state A presented under the cookie name of state B', async () => {
    const a = await tx.sealTransaction(transaction(STATE_A));
    const nameB = tx.transactionCookieName(STATE_B)!;
    expect(await tx.openTransaction(STATE_B, jar({ [nameB]: a.value }))).toBeUndefined();
  });

  it('returns undefined without a state or without the cookie', async () => {
    const a = await tx.sealTransaction(transaction(STATE_A));
    expect(await tx.openTransaction(null, jar({ [a.name]: a.value }))).toBeUndefined();
    expect(await tx.openTransaction('', jar({ [a.name]: a.value }))).toBeUndefined();
    expect(await tx.openTransaction(STATE_A, jar({}))).toBeUndefined();
    expect(await tx.openTransaction('short', jar({ 'oidc-tx.short': a.value }))).toBeUndefined();
  });

  it.each(['garbage', 'Fe26.2*1*AA*AA*AA**AA*AA~2', 'a*b*c*d*e*f*g*h', '~2'])(
    'returns undefined for the garbage cookie value %j',
    async (value) => {
      expect(await tx.openTransaction(STATE_A, jar({ [`oidc-tx.${STATE_A}`]: value }))).toBeUndefined();
    },
  );

  it('returns undefined for a tampered seal', async () => {
    const a = await tx.sealTransaction(transaction(STATE_A));
    const parts = a.value.split('*');
    const i = 4; // the encrypted payload
    parts[i] = `${parts[i]!.slice(0, -2)}${parts[i]!.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await tx.openTransaction(STATE_A, jar({ [a.name]: parts.join('*') }))).toBeUndefined();
  });

  it('returns undefined for a seal made with another secret', async () => {
    const { sealData } = await import('iron-session');
    const foreign = await sealData(transaction(STATE_A), { password: 'another-secret-another-secret-another', ttl: 600 });
    expect(await tx.openTransaction(STATE_A, jar({ [`oidc-tx.${STATE_A}`]: foreign }))).toBeUndefined();
  });

  it('returns undefined for a sealed value that is not a login transaction', async () => {
    const { sealData } = await import('iron-session');
    const name = `oidc-tx.${STATE_A}`;
    const seal = (data: Record<string, unknown>) => sealData(data, { password: SECRET, ttl: 600 });
    const invalid: Array<Record<string, unknown>> = [
      { ...transaction(STATE_A), kind: 'other' },
      { ...transaction(STATE_A), nonce: undefined },
      { ...transaction(STATE_A), code_verifier: '' },
      {},
    ];
    for (const data of invalid) {
      expect(await tx.openTransaction(STATE_A, jar({ [name]: await seal(data) }))).toBeUndefined();
    }
  });

  it('returns undefined once the transaction has expired', async () => {
    const a = await tx.sealTransaction(transaction(STATE_A));
    vi.useFakeTimers();
    try {
      vi.setSystemTime(Date.now() + 11 * 60 * 1000);
      expect(await tx.openTransaction(STATE_A, jar({ [a.name]: a.value }))).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('clears the cookie with maxAge 0 and an expiry in the past on the callback path', () => {
    const cleared = tx.clearTransaction(STATE_A);
    expect(cleared).toEqual({
      name: `oidc-tx.${STATE_A}`,
      value: '',
      // Next drops `Max-Age=0`, so deletion also needs an Expires date in the past.
      options: { httpOnly: true, sameSite: 'lax', secure: false, path: '/auth/callback', maxAge: 0, expires: new Date(0) },
    });
  });

  it('clears nothing for a missing or invalid state', () => {
    expect(tx.clearTransaction(null)).toBeUndefined();
    expect(tx.clearTransaction('bad;state')).toBeUndefined();
  });
});

describe('login transaction cookie in production', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('uses a __Secure- name and a Secure cookie', async () => {
    const tx = await load('production');
    const cookie = await tx.sealTransaction(transaction(STATE_A));
    expect(cookie.name).toBe(`__Secure-oidc-tx.${STATE_A}`);
    expect(cookie.options.secure).toBe(true);
    expect((await tx.openTransaction(STATE_A, jar({ [cookie.name]: cookie.value })))?.state).toBe(STATE_A);
    expect(tx.clearTransaction(STATE_A)?.name).toBe(`__Secure-oidc-tx.${STATE_A}`);
  });
});
