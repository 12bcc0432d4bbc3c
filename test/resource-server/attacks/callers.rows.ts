/**
 * Rows of the attack table (run by ./callers.test.ts; ./harness.ts runs and checks them): who may
 * call the user route, with which scopes. A machine token on a user route; a user token without
 * notes:read, or with it in the wrong case or as a longer name; scope and roles claims of the
 * wrong JSON type.
 */
import { insufficientScope, invalidToken, minted, type Attack } from './harness';

export const callerAttacks: Attack[] = [
  // --- who may call, with which scopes --------------------------------------------------------
  {
    name: 'a machine token (sub === client_id) on a user route',
    build: minted({ sub: 'app', scope: 'notes:read' }),
    expected: insufficientScope('machine_token_not_allowed'),
  },
  {
    name: 'a user token without notes:read',
    build: minted({ scope: 'notes:write profile' }),
    expected: insufficientScope('insufficient_scope'),
  },
  {
    name: 'scope "NOTES:READ" (scopes are case-sensitive)',
    build: minted({ scope: 'NOTES:READ' }),
    expected: insufficientScope('insufficient_scope'),
  },
  {
    name: 'scope as a JSON array instead of a string (RFC 9068 §2.2.3)',
    build: minted({ scope: ['notes:read'] }),
    expected: invalidToken('invalid_scope'),
  },
  {
    name: 'scope as an object of scope names (only roles may be one)',
    build: minted({ scope: { 'notes:read': true } }),
    expected: invalidToken('invalid_scope'),
  },
  {
    name: 'roles as a number (RFC 9068 §2.2.3.1: a list of strings)',
    build: minted({ roles: 7 }),
    expected: invalidToken('invalid_roles'),
  },
  {
    name: 'roles as an array holding a non-string',
    build: minted({ roles: ['notes-writer', 1] }),
    expected: invalidToken('invalid_roles'),
  },
  {
    name: 'scope "notes:readwrite" (no prefix matching)',
    build: minted({ scope: 'notes:readwrite' }),
    expected: insufficientScope('insufficient_scope'),
  },
];
