/**
 * Tokens of the wrong kind against the real route handlers (GET /api/notes, scope notes:read):
 * ID tokens and access tokens carrying ID-token claims, sender-constrained tokens under the
 * Bearer scheme, opaque tokens (introspection), JWE, JWS JSON, malformed and oversized JWTs. The
 * rows are in ./token-kinds.rows.ts; the issuer, the route handlers and the checks every row
 * makes are in ./harness.ts. Nothing is mocked but console.log.
 */
import { runAttacks, setUpResourceServer } from './harness';
import { tokenKindAttacks } from './token-kinds.rows';

setUpResourceServer();
runAttacks(tokenKindAttacks);
