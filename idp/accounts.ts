/**
 * The demo accounts of the local identity provider. Development and tests only.
 *
 * What each account may do at the API is decided here, by the authorization server, as the
 * scopes it may be granted: alice may read and write notes, bob may only read them.
 */
import { API_SCOPES } from '../lib/config.ts';

export interface DemoAccount {
  sub: string;
  login: string;
  password: string;
  name: string;
  given_name: string;
  family_name: string;
  email: string;
  /** API scopes this account may be granted; other requested API scopes are refused. */
  apiScopes: readonly string[];
  description: string;
}

export const ACCOUNTS: readonly DemoAccount[] = [
  {
    sub: 'alice',
    login: 'alice',
    password: 'alice',
    name: 'Alice Liddell',
    given_name: 'Alice',
    family_name: 'Liddell',
    email: 'alice@example.com',
    apiScopes: [API_SCOPES.read, API_SCOPES.write],
    description: 'may read and write her notes',
  },
  {
    sub: 'bob',
    login: 'bob',
    password: 'bob',
    name: 'Bob Builder',
    given_name: 'Bob',
    family_name: 'Builder',
    email: 'bob@example.com',
    apiScopes: [API_SCOPES.read],
    description: 'may only read his notes',
  },
];

export function findAccountBySub(sub: string): DemoAccount | undefined {
  return ACCOUNTS.find((a) => a.sub === sub);
}

export function authenticate(login: string, password: string): DemoAccount | undefined {
  const account = ACCOUNTS.find((a) => a.login === login.trim().toLowerCase());
  return account && account.password === password ? account : undefined;
}

/** The claims the IdP may release for an account; oidc-provider filters them by scope. */
export function claimsOf(account: DemoAccount): { sub: string; [claim: string]: unknown } {
  return {
    sub: account.sub,
    name: account.name,
    given_name: account.given_name,
    family_name: account.family_name,
    preferred_username: account.login,
    email: account.email,
    email_verified: true,
  };
}
