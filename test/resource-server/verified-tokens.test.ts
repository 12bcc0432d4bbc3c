/**
 * lib/resource-server/verified-tokens.ts: a token that passed every check is not verified again
 * for a while, but its lifetimes are, on every use, and nothing that failed is remembered.
 */
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAccessTokenVerifier, InvalidTokenError } from '@/lib/resource-server/access-token';
import type { JwksCache } from '@/lib/resource-server/jwks';

const ISSUER = 'https://issuer.test';
const AUDIENCE = 'https://api.test';
let privateKey: CryptoKey;
let jwks: JwksCache & { calls: number };

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  const local = createLocalJWKSet({
    keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' }],
  });
  jwks = {
    calls: 0,
    fetches: 0,
    getKey: (header, token) => {
      jwks.calls++;
      return local(header, token);
    },
  };
});

afterEach(() => {
  vi.useRealTimers();
});

const nowS = () => Math.floor(Date.now() / 1000);

function mint(claims: JWTPayload = {}): Promise<string> {
  const now = nowS();
  return new SignJWT({
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'alice',
    client_id: 'app',
    scope: 'notes:read',
    iat: now,
    exp: now + 300,
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'k1' })
    .sign(privateKey);
}

const verifier = () =>
  createAccessTokenVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['RS256'],
    clockToleranceS: 30,
    jwks,
  });

async function reasonOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (err: unknown) => (err instanceof InvalidTokenError ? err.reason : String(err)),
  );
}

describe('verified tokens', () => {
  it('verifies the signature once, then answers the same token from memory with the same result', async () => {
    const verify = verifier();
    const token = await mint();
    const before = jwks.calls;
    const first = await verify(token);
    const second = await verify(token);
    expect(jwks.calls - before).toBe(1);
    expect(second).toBe(first);
    expect(second.sub).toBe('alice');
  });

  it('checks exp again on every use: the remembered token is refused once it expires, as expired', async () => {
    const verify = verifier();
    const token = await mint({ exp: nowS() + 60 });
    await verify(token);
    vi.useFakeTimers({ now: Date.now() + 95_000, toFake: ['Date'] }); // past exp + 30 s tolerance
    expect(await reasonOf(verify(token))).toBe('expired');
  });

  it('keeps an entry at most a minute: then the signature is verified again', async () => {
    const verify = verifier();
    const token = await mint({ exp: nowS() + 3600 });
    await verify(token);
    const before = jwks.calls;
    vi.useFakeTimers({ now: Date.now() + 61_000, toFake: ['Date'] });
    await verify(token);
    expect(jwks.calls - before).toBe(1);
  });

  it('remembers nothing that failed: a refused token is refused again, for the same reason', async () => {
    const verify = verifier();
    const wrongAudience = await mint({ aud: 'https://other.test' });
    expect(await reasonOf(verify(wrongAudience))).toBe('wrong_audience');
    expect(await reasonOf(verify(wrongAudience))).toBe('wrong_audience');
  });

  it('keys by the exact token: a token with one character changed is verified (and refused)', async () => {
    const verify = verifier();
    const token = await mint();
    await verify(token);
    const [h, p, sig] = token.split('.') as [string, string, string];
    const altered = `${h}.${p}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await reasonOf(verify(altered))).toBe('bad_signature');
  });
});
