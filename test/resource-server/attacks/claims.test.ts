/**
 * Validly signed tokens with the wrong typ or claims against the real route handlers (GET
 * /api/notes, scope notes:read): audience, issuer, expiry, not-before, issued-at, and missing or
 * mistyped exp, iat, sub and client_id. The rows are in ./claims.rows.ts; the issuer, the route
 * handlers and the checks every row makes are in ./harness.ts. Nothing is mocked but console.log.
 */
import { claimAttacks } from './claims.rows';
import { runAttacks, setUpResourceServer } from './harness';

setUpResourceServer();
runAttacks(claimAttacks);
