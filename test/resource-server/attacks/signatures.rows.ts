/**
 * Rows of the attack table (run by ./signatures.test.ts; ./harness.ts runs and checks them):
 * tokens whose signature should not be trusted. alg "none" in every spelling, HS256 keyed with
 * the issuer's public key (alg confusion), algorithms outside the pinned list, a key/alg mismatch;
 * keys the token offers itself (unknown kid, jku, x5u, embedded jwk, x5c) or forged under the
 * published kid; crit extensions the server cannot understand; headers, payloads and signatures
 * changed after signing.
 */
import { exportSPKI } from 'jose';
import { flipSignature, hmacKey, newKeyPair, nowS, segments, unsigned } from '../../support/jws.ts';
import {
  accepted,
  atMostOneJwksRefetch,
  forged,
  invalidToken,
  minted,
  noRequestTo,
  tamper,
  untouchedIssuer,
  withToken,
  type Attack,
} from './harness';

export const signatureAttacks: Attack[] = [
  // --- positive controls --------------------------------------------------------------------
  { name: 'a valid RS256 at+jwt access token (control)', build: minted(), expected: accepted },
  {
    name: 'an ES256 token signed by the published EC key',
    build: minted({}, { alg: 'ES256', kid: 'es-1' }, (i) => i.keys.es.privateKey),
    expected: accepted,
  },

  // --- alg ----------------------------------------------------------------------------------
  ...['none', 'None', 'NONE', 'nOnE'].map((alg): Attack => ({
    name: `alg "${alg}", unsigned`,
    build: async (iss) => withToken(unsigned({ alg, typ: 'at+jwt' }, iss.claims())),
    expected: invalidToken('alg_not_allowed'),
    after: untouchedIssuer,
  })),
  {
    name: 'alg "none" keeping the signature of a genuine token',
    build: async (iss) => withToken(tamper(await iss.mint(), 'header', (h) => (h.alg = 'none'))),
    expected: invalidToken('alg_not_allowed'),
  },
  {
    name: 'HS256 keyed with the issuer public key as PEM/SPKI (alg confusion)',
    build: async (iss) => {
      const secret = await hmacKey(await exportSPKI(iss.keys.rs.publicKey));
      return withToken(await iss.mint({}, { alg: 'HS256' }, secret));
    },
    expected: invalidToken('alg_not_allowed'),
    after: untouchedIssuer,
  },
  {
    name: 'HS256 keyed with the issuer public JWK JSON (alg confusion)',
    build: async (iss) =>
      withToken(
        await iss.mint({}, { alg: 'HS256' }, await hmacKey(JSON.stringify(iss.keys.rs.jwk))),
      ),
    expected: invalidToken('alg_not_allowed'),
  },
  {
    name: 'EdDSA, an asymmetric algorithm outside the pinned list',
    build: async (iss) => {
      const ed = await newKeyPair('EdDSA', 'ed-1');
      return withToken(await iss.mint({}, { alg: 'EdDSA', kid: 'ed-1' }, ed.privateKey));
    },
    expected: invalidToken('alg_not_allowed'),
  },
  {
    name: 'alg RS256 under the kid of the ES256 key (key/alg mismatch)',
    build: minted({}, { kid: 'es-1' }, forged),
    expected: invalidToken('unknown_kid'),
    after: atMostOneJwksRefetch,
  },

  // --- where the key comes from -------------------------------------------------------------
  {
    name: 'a kid not in the JWKS, signed by the forging key',
    build: minted({}, { kid: 'attacker-1' }, forged),
    expected: invalidToken('unknown_kid'),
    after: atMostOneJwksRefetch,
  },
  {
    name: 'a kid with path traversal',
    build: minted({}, { kid: '../../../../etc/passwd' }, forged),
    expected: invalidToken('unknown_kid'),
  },
  {
    name: 'the published kid, signed by the forging key',
    build: minted({}, {}, forged),
    expected: invalidToken('bad_signature'),
  },
  {
    name: 'the key offered via jku (a URL on the issuer host serving the attacker JWKS)',
    build: async (iss) =>
      withToken(
        await iss.mint({}, { kid: 'attacker-1', jku: `${iss.issuer}/attacker/jwks` }, forged(iss)),
      ),
    expected: invalidToken('unknown_kid'),
    after: noRequestTo('/attacker/jwks'),
  },
  {
    name: 'jku with the published kid',
    build: async (iss) =>
      withToken(await iss.mint({}, { jku: `${iss.issuer}/attacker/jwks-2` }, forged(iss))),
    expected: invalidToken('bad_signature'),
    after: noRequestTo('/attacker/jwks-2'),
  },
  {
    name: 'the key offered via x5u',
    build: async (iss) =>
      withToken(
        await iss.mint(
          {},
          { kid: 'attacker-1', x5u: `${iss.issuer}/attacker/cert.pem` },
          forged(iss),
        ),
      ),
    expected: invalidToken('unknown_kid'),
    after: noRequestTo('/attacker/cert.pem'),
  },
  {
    name: 'the attacker public key embedded as jwk, no kid',
    build: async (iss) =>
      withToken(await iss.mint({}, { kid: undefined, jwk: iss.keys.forge.jwk }, forged(iss))),
    expected: invalidToken('bad_signature'),
  },
  {
    name: 'the attacker public key embedded as jwk, with its kid',
    build: async (iss) =>
      withToken(await iss.mint({}, { kid: 'attacker-1', jwk: iss.keys.forge.jwk }, forged(iss))),
    expected: invalidToken('unknown_kid'),
  },
  {
    name: 'an x5c chain under the published kid',
    build: async (iss) =>
      withToken(
        await iss.mint(
          {},
          { x5c: [Buffer.from('not a certificate').toString('base64')] },
          forged(iss),
        ),
      ),
    expected: invalidToken('bad_signature'),
  },

  // --- crit ---------------------------------------------------------------------------------
  {
    name: 'crit ["exp"] (a claim name is no extension), signed by the real key',
    build: minted({}, { crit: ['exp'], exp: nowS() + 300 }),
    expected: invalidToken('unsupported_crit'),
  },
  {
    name: 'an unknown crit extension, signed by the real key',
    build: minted(
      {},
      { crit: ['urn:example:must-understand'], 'urn:example:must-understand': true },
    ),
    expected: invalidToken('unsupported_crit'),
  },
  {
    name: 'crit as an empty array',
    build: minted({}, { crit: [] }),
    expected: invalidToken('malformed'),
  },

  // --- tampering ----------------------------------------------------------------------------
  {
    name: 'header tampered after signing (typ changed)',
    build: async (iss) =>
      withToken(tamper(await iss.mint({}, { typ: 'JWT' }), 'header', (h) => (h.typ = 'at+jwt'))),
    expected: invalidToken('bad_signature'),
  },
  {
    name: 'payload tampered after signing (sub changed)',
    build: async (iss) => withToken(tamper(await iss.mint(), 'payload', (p) => (p.sub = 'bob'))),
    expected: invalidToken('bad_signature'),
  },
  {
    name: 'payload tampered after signing (scope widened)',
    build: async (iss) =>
      withToken(
        tamper(
          await iss.mint({ scope: 'profile' }),
          'payload',
          (p) => (p.scope = 'notes:read notes:write'),
        ),
      ),
    expected: invalidToken('bad_signature'),
  },
  {
    name: 'signature with flipped bits',
    build: async (iss) => withToken(flipSignature(await iss.mint())),
    expected: invalidToken('bad_signature'),
  },
  {
    name: 'signature stripped (header.payload.)',
    build: async (iss) => {
      const s = segments(await iss.mint());
      return withToken(`${s.header}.${s.payload}.`);
    },
    expected: invalidToken('bad_signature'),
  },
];
