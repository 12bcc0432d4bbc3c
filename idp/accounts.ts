/**
 * The demo accounts of the local identity provider. Development and tests only.
 *
 * Both accounts may be granted both API scopes: a scope is what the client may ask for on the
 * user's behalf. What each user may do is the API's decision, made from a `roles` claim the IdP
 * puts into access tokens: alice holds `notes-writer`, bob holds nothing, so the API refuses his
 * writes although his token carries notes:write.
 */
import { API_SCOPES, DEFAULTS } from '../lib/config.ts';

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
  /** The `roles` claim of this account's access tokens (the API reads it: lib/resource-server/permissions.ts). */
  roles: readonly string[];
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
    roles: [DEFAULTS.writerRole],
    description: 'may read and write her notes: her access token carries the role notes-writer',
  },
  {
    sub: 'bob',
    login: 'bob',
    password: 'bob',
    name: 'Bob Builder',
    given_name: 'Bob',
    family_name: 'Builder',
    email: 'bob@example.com',
    apiScopes: [API_SCOPES.read, API_SCOPES.write],
    roles: [],
    description:
      'may only read his notes: his token has the notes:write scope, but no role, so the API refuses his writes',
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
