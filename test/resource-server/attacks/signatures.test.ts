/**
 * Hostile tokens against the real route handlers (GET /api/notes, scope notes:read): forged,
 * unsigned or tampered signatures, algorithms outside the pinned list, keys the token offers
 * itself, crit extensions. The rows are in ./signatures.rows.ts; the issuer, the route handlers
 * and the checks every row makes are in ./harness.ts. Nothing is mocked but console.log.
 */
import { runAttacks, setUpResourceServer } from './harness';
import { signatureAttacks } from './signatures.rows';

setUpResourceServer();
runAttacks(signatureAttacks);
