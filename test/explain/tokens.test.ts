/** lib/explain/tokens.ts: the tokens decoded for display, never the token itself. */
import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { explainToken } from '@/lib/explain/tokens';

const { privateKey } = await generateKeyPair('RS256');
const NOW = 1_800_000_000;

async function jwt(typ: string, claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ, kid: 'k1' }).sign(privateKey);
}

describe('explainToken', () => {
  it('shows the header and every claim, explained per kind, with times and the differences marked', async () => {
    const id = explainToken(
      await jwt('JWT', {
        iss: 'https://idp',
        sub: 'u1',
        aud: 'client',
        iat: NOW,
        exp: NOW + 3600,
        nonce: 'n',
      }),
      'id',
    );
    const access = explainToken(
      await jwt('at+jwt', {
        iss: 'https://idp',
        sub: 'u1',
        aud: 'https://app/api',
        iat: NOW,
        exp: NOW + 300,
        scope: 'notes:read',
        client_id: 'client',
      }),
      'access',
    );
    expect(id.format).toBe('jwt');
    expect(id.header.map((h) => h.name)).toEqual(['alg', 'typ', 'kid']);
    expect(id.claims.map((c) => c.name)).toEqual(['iss', 'sub', 'aud', 'iat', 'exp', 'nonce']);
    expect(id.claims.find((c) => c.name === 'exp')!.time).toBe(
      new Date((NOW + 3600) * 1000).toISOString(),
    );
    expect(id.lifetimeS).toBe(3600);
    expect(access.lifetimeS).toBe(300);
    const aud = (t: typeof id) => t.claims.find((c) => c.name === 'aud')!;
    expect(aud(id).note).toContain('this app');
    expect(aud(access).note).toContain('the API');
    expect(aud(id).differs).toBe(true);
    expect(id.claims.find((c) => c.name === 'sub')!.differs).toBe(false);
    expect(access.header.find((h) => h.name === 'typ')!).toMatchObject({
      value: 'at+jwt',
      differs: true,
    });
    expect(access.claims.find((c) => c.name === 'x-unknown')).toBeUndefined();
  });

  it('a claim it does not know is shown as such; objects as JSON', async () => {
    const shown = explainToken(
      await jwt('at+jwt', { 'https://example/roles': ['a'], cnf: { jkt: 'x' } }),
      'access',
    );
    expect(shown.claims[0]).toMatchObject({
      value: '["a"]',
      note: 'A claim this app does not use.',
    });
    expect(shown.claims[1]!.value).toBe('{"jkt":"x"}');
  });

  it('never carries the token, or any encoded part of it', async () => {
    const token = await jwt('at+jwt', { sub: 'u1', aud: 'api', exp: NOW });
    const text = JSON.stringify(explainToken(token, 'access'));
    for (const part of token.split('.')) expect(text).not.toContain(part);
  });

  it('an opaque token (or anything not a JWT) is opaque: nothing decoded, only its length', () => {
    for (const token of ['2YotnFZFEjr1zCsicMWpAA', 'a.b.c', '']) {
      expect(explainToken(token, 'access')).toEqual({
        kind: 'access',
        format: 'opaque',
        header: [],
        claims: [],
        length: token.length,
      });
    }
  });
});
