import { describe, expect, it } from 'vitest';
import { MAX_TOKEN_BYTES, readCredential } from '@/lib/resource-server/bearer';

function request(
  headers: [string, string][] = [],
  init: { url?: string; body?: string; method?: string } = {},
): Request {
  const h = new Headers();
  for (const [k, v] of headers) h.append(k, v);
  return new Request(init.url ?? 'http://api.test/api/notes', {
    method: init.method ?? (init.body ? 'POST' : 'GET'),
    headers: h,
    body: init.body,
  });
}

describe('readCredential (RFC 6750 §2)', () => {
  it('reads a bearer token from the Authorization header', async () => {
    expect(await readCredential(request([['Authorization', 'Bearer abc.def.ghi']]))).toEqual({
      kind: 'token',
      token: 'abc.def.ghi',
    });
  });

  it.each(['bearer', 'BEARER', 'BeArEr'])(
    'treats the scheme %s case-insensitively (RFC 7235 §2.1)',
    async (scheme) => {
      expect(await readCredential(request([['Authorization', `${scheme} abc`]]))).toEqual({
        kind: 'token',
        token: 'abc',
      });
    },
  );

  it('accepts every b64token character and trailing "="', async () => {
    const token = 'AZaz09-._~+/abc==';
    expect(await readCredential(request([['Authorization', `Bearer ${token}`]]))).toEqual({
      kind: 'token',
      token,
    });
  });

  it('without any credential: missing_token, or cookie_instead_of_token when a cookie is offered', async () => {
    expect(await readCredential(request())).toEqual({ kind: 'none', reason: 'missing_token' });
    expect(await readCredential(request([['Cookie', '__Host-session=Fe26.2*xyz']]))).toEqual({
      kind: 'none',
      reason: 'cookie_instead_of_token',
    });
  });

  it.each(['Basic YWxpY2U6c2VjcmV0', 'DPoP abc', 'Token abc'])(
    'does not take %j as a bearer credential',
    async (header) => {
      expect(await readCredential(request([['Authorization', header]]))).toEqual({
        kind: 'none',
        reason: 'other_scheme',
      });
    },
  );

  it.each([
    ['Bearer', 'empty_token'],
    ['Bearer ', 'empty_token'],
    ['Bearer a b', 'multiple_credentials'],
    ['Bearer abc, Bearer def', 'multiple_credentials'],
    ['Bearer abc$def', 'malformed_header'],
    ['Bearer "abc"', 'malformed_header'],
    ['Bearer =abc', 'malformed_header'],
    ['Bearer abc=def', 'malformed_header'],
    ['Bearer {"payload":"eyJ4IjoxfQ"}', 'malformed_header'],
  ])('refuses %j as invalid_request (%s)', async (header, reason) => {
    expect(await readCredential(request([['Authorization', header]]))).toEqual({
      kind: 'invalid_request',
      reason,
    });
  });

  it('refuses two Authorization headers', async () => {
    const req = request([
      ['Authorization', 'Bearer abc'],
      ['Authorization', 'Bearer def'],
    ]);
    expect(await readCredential(req)).toEqual({
      kind: 'invalid_request',
      reason: 'multiple_credentials',
    });
  });

  it('refuses a token in the query string, even beside a header', async () => {
    expect(
      await readCredential(request([], { url: 'http://api.test/api/notes?access_token=abc' })),
    ).toEqual({
      kind: 'invalid_request',
      reason: 'token_in_query',
    });
    expect(
      await readCredential(
        request([['Authorization', 'Bearer abc']], {
          url: 'http://api.test/api/notes?x=1&access_token=abc',
        }),
      ),
    ).toMatchObject({ reason: 'token_in_query' });
  });

  it('refuses a token in a form body, and leaves the body readable for the handler', async () => {
    const req = request([['Content-Type', 'application/x-www-form-urlencoded']], {
      body: 'text=hi&access_token=abc',
    });
    expect(await readCredential(req)).toEqual({ kind: 'invalid_request', reason: 'token_in_body' });
    expect(await req.text()).toBe('text=hi&access_token=abc');
    const ok = request(
      [
        ['Content-Type', 'application/x-www-form-urlencoded'],
        ['Authorization', 'Bearer abc'],
      ],
      { body: 'text=hi' },
    );
    expect(await readCredential(ok)).toEqual({ kind: 'token', token: 'abc' });
  });

  it('refuses a header over the size cap before parsing it', async () => {
    const huge = `Bearer ${'a'.repeat(MAX_TOKEN_BYTES + 100)}`;
    expect(await readCredential(request([['Authorization', huge]]))).toEqual({
      kind: 'too_large',
      reason: 'token_too_large',
    });
  });
});
