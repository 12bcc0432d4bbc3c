import { describe, expect, it } from 'vitest';
import { readBearer } from '@/lib/resource-server/bearer';

function read(authorization?: string) {
  const headers = new Headers();
  if (authorization !== undefined) headers.set('Authorization', authorization);
  return readBearer(new Request('http://x/api', { headers }));
}

describe('readBearer', () => {
  it('reports a missing header', () => {
    expect(read()).toEqual({ missing: true });
  });

  it('treats another scheme as no bearer credential', () => {
    expect(read('Basic abc')).toEqual({ missing: true });
  });

  it('reads a JWT-shaped token', () => {
    expect(read('Bearer abc.def.ghi')).toEqual({ token: 'abc.def.ghi' });
  });

  it.each(['bearer', 'BEARER', 'BeArEr'])('accepts the scheme spelled %s', (scheme) => {
    expect(read(`${scheme} abc.def.ghi`)).toEqual({ token: 'abc.def.ghi' });
  });

  it('accepts every b64token character and trailing "="', () => {
    const token = 'AZaz09-._~+/abc==';
    expect(read(`Bearer ${token}`)).toEqual({ token });
  });

  it.each(['Bearer', 'Bearer ', 'Bearer a b', 'bearer\t'])('reports the Bearer scheme without exactly one token, %j, as malformed', (header) => {
    expect(read(header)).toEqual({ malformed: true });
  });

  it.each(['Bearer abc$def', 'Bearer "abc"', 'Bearer =abc', 'Bearer abc=def', 'Bearer ab%63', 'Bearer abc,def'])(
    'reports %j as malformed',
    (header) => {
      expect(read(header)).toEqual({ malformed: true });
    },
  );
});
