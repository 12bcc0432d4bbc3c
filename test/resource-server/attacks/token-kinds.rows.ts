/**
 * Rows of the attack table (run by ./token-kinds.test.ts; ./harness.ts runs and checks them):
 * tokens that are not the JWT access token the route wants. ID tokens of the real issuer, and
 * access tokens carrying ID-token claims (nonce, at_hash, c_hash); sender-constrained tokens
 * (DPoP, mTLS) presented as plain bearer tokens; other formats: opaque (sent to introspection),
 * JWE, JWS JSON serialization; and malformed or oversized JWTs.
 */
import { expect } from 'vitest';
import { b64json, b64url, segments, signSegments } from '../../support/jws.ts';
import {
  idTokenClaims,
  introspected,
  invalidRequest,
  invalidToken,
  minted,
  NON_UTF8,
  untouchedIssuer,
  withToken,
  type Attack,
} from './harness';

export const tokenKindAttacks: Attack[] = [
  // --- ID tokens ----------------------------------------------------------------------------
  {
    name: 'an ID token of the real issuer (no typ, aud = client, nonce)',
    build: minted(idTokenClaims, { typ: undefined }),
    expected: invalidToken('id_token_presented'),
  },
  {
    name: 'an ID token of the real issuer with typ "JWT"',
    build: minted(idTokenClaims, { typ: 'JWT' }),
    expected: invalidToken('id_token_presented'),
  },
  // OIDC Core §2, §3.1.3.6: claims only ID tokens carry, on a token that is otherwise a valid access token.
  {
    name: 'an at+jwt token that carries nonce (an ID-token claim)',
    build: minted({ nonce: 'n-0S6_WzA2Mj' }),
    expected: invalidToken('id_token_presented'),
  },
  {
    name: 'an at+jwt token that carries at_hash',
    build: minted({ at_hash: '77QmUPtjPfzWtF2AnpK9RQ' }),
    expected: invalidToken('id_token_presented'),
  },
  {
    name: 'an at+jwt token that carries c_hash',
    build: minted({ c_hash: 'LDktKdoQak3Pk0cnXxCltA' }),
    expected: invalidToken('id_token_presented'),
  },

  // --- sender-constrained tokens ------------------------------------------------------------
  // RFC 9449 §7.2, RFC 8705 §3: a sender-constrained token presented as a plain bearer token.
  {
    name: 'a DPoP-bound token (cnf.jkt) under the Bearer scheme',
    build: minted({ cnf: { jkt: '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I' } }),
    expected: invalidToken('sender_constrained_token'),
  },
  {
    name: 'an mTLS-bound token (cnf x5t#S256) under the Bearer scheme',
    build: minted({ cnf: { 'x5t#S256': 'bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2' } }),
    expected: invalidToken('sender_constrained_token'),
  },

  // --- structure ----------------------------------------------------------------------------
  // Anything but three segments is opaque to the RS and goes to introspection (RFC 7662).
  {
    name: 'truncated to 2 segments',
    build: async (iss) => {
      const s = segments(await iss.mint());
      return withToken(`${s.header}.${s.payload}`);
    },
    expected: invalidToken('introspection_inactive'),
    after: introspected,
  },
  {
    name: '4 segments',
    build: async (iss) => withToken(`${await iss.mint()}.${b64url('x')}`),
    expected: invalidToken('introspection_inactive'),
    after: introspected,
  },
  // RFC 7516 §7.1: five segments is a JWE; refused without asking the issuer.
  {
    name: '5 segments',
    build: async (iss) => withToken(`${await iss.mint()}.e30.e30`),
    expected: invalidToken('encrypted_token_unsupported'),
  },
  {
    name: 'JWS JSON serialization in the Authorization header',
    build: async (iss) => {
      const s = segments(await iss.mint());
      const json = JSON.stringify({
        protected: s.header,
        payload: s.payload,
        signature: s.signature,
      });
      return {
        spec: { headers: [['Authorization', `Bearer ${json}`]] },
        secrets: [json, s.signature],
      };
    },
    // bearer.ts checks for a comma before the b64token syntax, so the JSON's commas are
    // logged as multiple_credentials (not malformed_header); the answer is the same 400.
    expected: invalidRequest('multiple_credentials'),
    after: untouchedIssuer,
  },
  {
    name: 'JWS JSON serialization, base64url-encoded as one opaque token',
    build: async (iss) => {
      const s = segments(await iss.mint());
      return withToken(
        b64json({ protected: s.header, payload: s.payload, signature: s.signature }),
      );
    },
    expected: invalidToken('introspection_inactive'),
  },
  {
    name: 'a payload that is not UTF-8 (validly signed)',
    build: async (iss) =>
      withToken(
        await signSegments(
          b64json({ alg: 'RS256', typ: 'at+jwt', kid: 'rs-1' }),
          b64url(NON_UTF8),
          iss.keys.rs.privateKey,
        ),
      ),
    expected: invalidToken('malformed'),
  },
  {
    name: 'a header that is not UTF-8',
    build: async (iss) =>
      withToken(`${b64url(NON_UTF8)}.${b64json(iss.claims())}.${b64url('sig')}`),
    expected: invalidToken('malformed'),
  },
  {
    name: 'a payload that is a JSON array (validly signed)',
    build: async (iss) =>
      withToken(
        await signSegments(
          b64json({ alg: 'RS256', typ: 'at+jwt', kid: 'rs-1' }),
          b64json([iss.claims()]),
          iss.keys.rs.privateKey,
        ),
      ),
    expected: invalidToken('malformed'),
  },
  {
    name: 'a 9 KB token (validly signed), refused before parsing',
    build: async (iss) => {
      const token = await iss.mint({ padding: 'x'.repeat(6400) });
      expect(token.length).toBeGreaterThan(9 * 1000);
      expect(token.length).toBeLessThan(9.5 * 1024);
      return withToken(token);
    },
    expected: invalidToken('token_too_large'),
    after: untouchedIssuer,
  },
];
