/**
 * Rows of the attack table (run by ./claims.test.ts; ./harness.ts runs and checks them):
 * validly signed tokens whose header typ or claims are wrong. typ "JWT" or none; another
 * audience, or ours spelled differently; another issuer, or ours spelled differently; expired,
 * not yet valid, issued in the future or too long ago, beyond the clock tolerance; exp, iat,
 * sub or client_id missing or of the wrong JSON type. The controls show what is still accepted
 * (typ variants, the clock tolerance, several audiences).
 */
import { nowS } from '../../support/jws.ts';
import { API_AUDIENCE } from '../../support/provider.ts';
import { CLOCK_TOLERANCE_S } from '../../support/resource-server.ts';
import { accepted, invalidToken, minted, withToken, type Attack } from './harness';

export const claimAttacks: Attack[] = [
  // --- positive controls --------------------------------------------------------------------
  {
    name: 'typ "application/at+jwt" (RFC 9068 §2.1 allows the full media type)',
    build: minted({}, { typ: 'application/at+jwt' }),
    expected: accepted,
  },
  {
    name: 'typ "AT+JWT" (media types are case-insensitive)',
    build: minted({}, { typ: 'AT+JWT' }),
    expected: accepted,
  },
  {
    name: 'exp 10 s ago, within the clock tolerance',
    build: minted(() => ({ iat: nowS() - 300, exp: nowS() - 10 })),
    expected: accepted,
  },
  {
    name: 'nbf 10 s ahead, within the clock tolerance',
    build: minted(() => ({ nbf: nowS() + 10 })),
    expected: accepted,
  },
  {
    name: 'several audiences including ours',
    build: minted({ aud: ['https://other.test', API_AUDIENCE] }),
    expected: accepted,
  },

  // --- typ ----------------------------------------------------------------------------------
  { name: 'typ "JWT"', build: minted({}, { typ: 'JWT' }), expected: invalidToken('wrong_typ') },
  { name: 'no typ', build: minted({}, { typ: undefined }), expected: invalidToken('wrong_typ') },

  // --- claims -------------------------------------------------------------------------------
  {
    name: 'another audience',
    build: minted({ aud: 'https://other-api.test' }),
    expected: invalidToken('wrong_audience'),
  },
  {
    name: 'several audiences, none ours',
    build: minted({ aud: ['https://a.test', 'https://b.test'] }),
    expected: invalidToken('wrong_audience'),
  },
  {
    name: 'the audience with a trailing slash',
    build: minted({ aud: `${API_AUDIENCE}/` }),
    expected: invalidToken('wrong_audience'),
  },
  {
    name: 'another issuer',
    build: minted({ iss: 'https://evil.example' }),
    expected: invalidToken('wrong_issuer'),
  },
  {
    name: 'the issuer with a trailing slash',
    build: async (iss) => withToken(await iss.mint({ iss: `${iss.issuer}/` })),
    expected: invalidToken('wrong_issuer'),
  },
  {
    name: 'the issuer spelled 127.0.0.1',
    build: async (iss) =>
      withToken(await iss.mint({ iss: iss.issuer.replace('localhost', '127.0.0.1') })),
    expected: invalidToken('wrong_issuer'),
  },
  {
    name: 'expired beyond the clock tolerance',
    build: minted(() => ({ iat: nowS() - 600, exp: nowS() - CLOCK_TOLERANCE_S - 30 })),
    expected: invalidToken('expired'),
  },
  {
    name: 'nbf beyond the clock tolerance',
    build: minted(() => ({ nbf: nowS() + CLOCK_TOLERANCE_S + 90 })),
    expected: invalidToken('not_yet_valid'),
  },
  {
    name: 'iat an hour in the future',
    build: minted(() => ({ iat: nowS() + 3600, exp: nowS() + 3900 })),
    expected: invalidToken('issued_in_future'),
  },
  {
    name: 'iat two days ago (older than 24 h), exp still ahead',
    build: minted(() => ({ iat: nowS() - 2 * 86400 })),
    expected: invalidToken('too_old'),
  },
  { name: 'no exp', build: minted({ exp: undefined }), expected: invalidToken('missing_exp') },
  { name: 'no iat', build: minted({ iat: undefined }), expected: invalidToken('missing_iat') },
  { name: 'no sub', build: minted({ sub: undefined }), expected: invalidToken('missing_sub') },
  {
    name: 'no client_id',
    build: minted({ client_id: undefined }),
    expected: invalidToken('missing_client_id'),
  },
  {
    name: 'exp as a string',
    build: minted(() => ({ exp: String(nowS() + 300) })),
    expected: invalidToken('invalid_exp'),
  },
  {
    name: 'sub a number (not a StringOrURI, RFC 7519 §4.1.2)',
    build: minted({ sub: 42 }),
    expected: invalidToken('invalid_sub'),
  },
  {
    name: 'sub null',
    build: minted({ sub: null }),
    expected: invalidToken('invalid_sub'),
  },
  {
    name: 'client_id a number (RFC 9068 §2.2: a string)',
    build: minted({ client_id: 42 }),
    expected: invalidToken('invalid_client_id'),
  },
];
