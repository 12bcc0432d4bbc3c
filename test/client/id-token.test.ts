/**
 * lib/client/id-token.ts: the ID token checks oauth4webapi leaves to the client. The hashes are
 * computed here with node:crypto, independently of the code under test; the ID tokens are real
 * JWS (jose) so that the algorithm comes from a real protected header.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  checkAccessTokenHash,
  checkAuthorizedParty,
  checkIssuedAt,
  ID_TOKEN_IAT_LEEWAY_S,
  ID_TOKEN_MAX_AGE_S,
  IdTokenCheckError,
  type IdTokenCheckFailure,
} from '@/lib/client/id-token';

const ACCESS_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.an-access-token.sig';

function reasonOf(run: () => unknown): IdTokenCheckFailure | undefined {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(IdTokenCheckError);
    return (err as IdTokenCheckError).reason;
  }
  return undefined;
}

async function rejection(promise: Promise<unknown>): Promise<IdTokenCheckFailure | undefined> {
  return promise.then(
    () => undefined,
    (err: unknown) => {
      expect(err).toBeInstanceOf(IdTokenCheckError);
      return (err as IdTokenCheckError).reason;
    },
  );
}

/** OIDC Core §3.2.2.9: base64url of the left half of the hash. */
function leftHalf(hash: 'sha256' | 'sha384' | 'sha512', value: string): string {
  const digest = createHash(hash).update(value).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** A real JWS with this algorithm in its protected header. */
async function idTokenSignedWith(alg: 'RS256' | 'ES384' | 'PS512' | 'EdDSA'): Promise<string> {
  const key =
    alg === 'RS256' || alg === 'PS512'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
      : alg === 'ES384'
        ? generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey
        : generateKeyPairSync('ed25519').privateKey;
  return new SignJWT({ sub: 'user-1' }).setProtectedHeader({ alg }).sign(key);
}

describe('checkIssuedAt (OIDC Core §3.1.3.7 step 10)', () => {
  const now = 2_000_000_000;

  it('accepts now, the leeway ahead, and the bound behind', () => {
    expect(reasonOf(() => checkIssuedAt({ iat: now }, now))).toBeUndefined();
    expect(
      reasonOf(() => checkIssuedAt({ iat: now + ID_TOKEN_IAT_LEEWAY_S }, now)),
    ).toBeUndefined();
    expect(
      reasonOf(() => checkIssuedAt({ iat: now - ID_TOKEN_MAX_AGE_S - ID_TOKEN_IAT_LEEWAY_S }, now)),
    ).toBeUndefined();
  });

  it('refuses one second past either edge', () => {
    expect(reasonOf(() => checkIssuedAt({ iat: now + ID_TOKEN_IAT_LEEWAY_S + 1 }, now))).toBe(
      'iat_in_future',
    );
    expect(
      reasonOf(() =>
        checkIssuedAt({ iat: now - ID_TOKEN_MAX_AGE_S - ID_TOKEN_IAT_LEEWAY_S - 1 }, now),
      ),
    ).toBe('iat_too_old');
  });

  it('refuses an iat of 0 (an unset clock, or a provider that never set it)', () => {
    expect(reasonOf(() => checkIssuedAt({ iat: 0 }, now))).toBe('iat_too_old');
  });
});

describe('checkAuthorizedParty (OIDC Core §3.1.3.7 step 5)', () => {
  it('accepts no azp, or azp naming this client', () => {
    expect(reasonOf(() => checkAuthorizedParty({}, 'app'))).toBeUndefined();
    expect(reasonOf(() => checkAuthorizedParty({ azp: 'app' }, 'app'))).toBeUndefined();
  });

  it.each([
    ['another client', 'other'],
    ['a case variant', 'App'],
    ['empty', ''],
    ['a prefix', 'ap'],
  ])('refuses azp that is %s', (_label, azp) => {
    expect(reasonOf(() => checkAuthorizedParty({ azp }, 'app'))).toBe('azp_mismatch');
  });
});

describe('checkAccessTokenHash (OIDC Core §3.1.3.8, §3.2.2.9)', () => {
  it('passes without at_hash (optional in the code flow)', async () => {
    expect(
      await rejection(checkAccessTokenHash(await idTokenSignedWith('RS256'), {}, ACCESS_TOKEN)),
    ).toBeUndefined();
  });

  it.each([
    ['RS256', 'sha256'],
    ['ES384', 'sha384'],
    ['PS512', 'sha512'],
    ['EdDSA', 'sha512'],
  ] as const)('accepts the right at_hash under %s (left half of %s)', async (alg, hash) => {
    const idToken = await idTokenSignedWith(alg);
    expect(
      await rejection(
        checkAccessTokenHash(idToken, { at_hash: leftHalf(hash, ACCESS_TOKEN) }, ACCESS_TOKEN),
      ),
    ).toBeUndefined();
  });

  it.each([
    ['the hash of another access token', leftHalf('sha256', 'another')],
    [
      'the whole hash instead of its left half',
      createHash('sha256').update(ACCESS_TOKEN).digest('base64url'),
    ],
    [
      'the right half',
      createHash('sha256').update(ACCESS_TOKEN).digest().subarray(16).toString('base64url'),
    ],
    ['the hash of the wrong size (SHA-512 under RS256)', leftHalf('sha512', ACCESS_TOKEN)],
    [
      'base64 with padding',
      createHash('sha256').update(ACCESS_TOKEN).digest().subarray(0, 16).toString('base64'),
    ],
    ['empty', ''],
  ])('refuses %s', async (_label, atHash) => {
    const idToken = await idTokenSignedWith('RS256');
    expect(await rejection(checkAccessTokenHash(idToken, { at_hash: atHash }, ACCESS_TOKEN))).toBe(
      'at_hash_mismatch',
    );
  });

  it('refuses an at_hash it cannot verify (an algorithm with no defined hash), rather than skip it', async () => {
    const hs256 = await new SignJWT({ sub: 'user-1' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new Uint8Array(32));
    expect(
      await rejection(
        checkAccessTokenHash(hs256, { at_hash: leftHalf('sha256', ACCESS_TOKEN) }, ACCESS_TOKEN),
      ),
    ).toBe('at_hash_unverifiable');
  });
});
