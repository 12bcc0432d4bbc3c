/**
 * Requests that carry the credential in the wrong place or under the wrong scheme, against the
 * real route handlers (GET and POST /api/notes): none, empty, several, malformed, in the query
 * string or a form body, a session cookie, Basic, Digest, DPoP. The rows are in
 * ./credentials.rows.ts; the issuer, the route handlers and the checks every row makes are in
 * ./harness.ts. Nothing is mocked but console.log.
 */
import { credentialAttacks } from './credentials.rows';
import { runAttacks, setUpResourceServer } from './harness';

setUpResourceServer();
runAttacks(credentialAttacks);
