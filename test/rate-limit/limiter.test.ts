/** lib/rate-limit/: the per-address counters, who the client is, and the settings. */
import { describe, expect, it } from 'vitest';
import { readConfig, readResourceServerConfig } from '@/lib/config';
import { clientAddress } from '@/lib/rate-limit/client';
import { limiter } from '@/lib/rate-limit/limiter';

let n = 0;
/** A limiter of its own for each test (limiters are process-wide, by name). */
const fresh = (limit: number, windowS: number) => limiter(`test-${++n}`, { limit, windowS });

describe('limiter', () => {
  it('allows `limit` requests per window, then refuses with the seconds left, then allows again', () => {
    const l = fresh(3, 60);
    const t0 = 1_000_000;
    expect([0, 1, 2].map((i) => l.hit('a', t0 + i).allowed)).toEqual([true, true, true]);
    const refused = l.hit('a', t0 + 10_000);
    expect(refused).toEqual({ allowed: false, firstRefusal: true, retryAfterS: 50 });
    expect(l.hit('a', t0 + 20_000)).toMatchObject({
      allowed: false,
      firstRefusal: false,
      retryAfterS: 40,
    });
    expect(l.hit('a', t0 + 60_000).allowed).toBe(true); // a new window
  });

  it('counts each address on its own', () => {
    const l = fresh(1, 60);
    expect(l.hit('a').allowed).toBe(true);
    expect(l.hit('a').allowed).toBe(false);
    expect(l.hit('b').allowed).toBe(true);
  });

  it('never says to retry in less than a second', () => {
    const l = fresh(1, 1);
    l.hit('a', 0);
    expect(l.hit('a', 999).retryAfterS).toBe(1);
  });

  it('remembers at most 10,000 addresses: a flood of new ones forgets the oldest, and memory stays bounded', () => {
    const l = fresh(1, 3600);
    l.hit('first', 0);
    expect(l.hit('first', 1).allowed).toBe(false);
    for (let i = 0; i < 10_000; i++) l.hit(`spoofed-${i}`, 2);
    expect(l.hit('first', 3).allowed).toBe(true); // forgotten, as the bound requires
  });

  it('is one limiter per name across the process, and a new one when the rate changes', () => {
    const a = limiter('shared-name', { limit: 1, windowS: 60 });
    expect(limiter('shared-name', { limit: 1, windowS: 60 })).toBe(a);
    expect(limiter('shared-name', { limit: 2, windowS: 60 })).not.toBe(a);
  });
});

describe('clientAddress: only a header a trusted proxy sets', () => {
  const headers = (h: Record<string, string>) => new Headers(h);

  it("is undefined without a configured header, whatever X-Forwarded-For says (next start keeps the client's)", () => {
    expect(
      clientAddress(
        headers({ 'x-forwarded-for': '203.0.113.9', 'x-real-ip': '203.0.113.9' }),
        undefined,
      ),
    ).toBeUndefined();
  });

  it('reads the configured header; of a list, the last value (the one the proxy appended)', () => {
    expect(clientAddress(headers({ 'x-real-ip': '198.51.100.7' }), 'x-real-ip')).toBe(
      '198.51.100.7',
    );
    expect(
      clientAddress(headers({ 'x-forwarded-for': 'spoofed, 198.51.100.7' }), 'x-forwarded-for'),
    ).toBe('198.51.100.7');
    expect(clientAddress(headers({}), 'x-real-ip')).toBeUndefined();
    expect(clientAddress(headers({ 'x-real-ip': '  ' }), 'x-real-ip')).toBeUndefined();
  });
});

describe('settings', () => {
  const SECRET = 'Zq8vR2mT5xK1pL9wN3bH7cJ4dF6gA0sE';

  it('defaults: 60 sign-in requests and 120 refused API calls a minute, 16 introspections at once', () => {
    const c = readConfig({ SESSION_SECRET: SECRET });
    const rs = readResourceServerConfig({});
    expect(c.authRateLimit).toEqual({ limit: 60, windowS: 60 });
    expect(rs.unauthenticatedRateLimit).toEqual({ limit: 120, windowS: 60 });
    expect(rs.introspectionMaxConcurrent).toBe(16);
  });

  it('reads <requests>/<seconds> and off, and refuses anything else', () => {
    expect(readConfig({ SESSION_SECRET: SECRET, RATE_LIMIT_AUTH: '10/30' }).authRateLimit).toEqual({
      limit: 10,
      windowS: 30,
    });
    expect(
      readConfig({ SESSION_SECRET: SECRET, RATE_LIMIT_AUTH: 'off' }).authRateLimit,
    ).toBeUndefined();
    expect(
      readResourceServerConfig({ RATE_LIMIT_API: 'off' }).unauthenticatedRateLimit,
    ).toBeUndefined();
    for (const bad of ['10', '0/60', '10/0', 'ten/60', '10/60/1', '-1/60']) {
      expect(() => readConfig({ SESSION_SECRET: SECRET, RATE_LIMIT_AUTH: bad }), bad).toThrow(
        /RATE_LIMIT_AUTH/,
      );
    }
    expect(() => readResourceServerConfig({ API_INTROSPECTION_MAX_CONCURRENT: '0' })).toThrow(
      /API_INTROSPECTION_MAX_CONCURRENT/,
    );
  });

  it('knows the client only behind a proxy: x-real-ip on Vercel, RATE_LIMIT_CLIENT_HEADER elsewhere, else none', () => {
    expect(readConfig({ SESSION_SECRET: SECRET }).rateLimitClientHeader).toBeUndefined();
    expect(readResourceServerConfig({ VERCEL: '1' }).rateLimitClientHeader).toBe('x-real-ip');
    expect(
      readConfig({ SESSION_SECRET: SECRET, RATE_LIMIT_CLIENT_HEADER: 'X-Client-IP' })
        .rateLimitClientHeader,
    ).toBe('x-client-ip');
    expect(
      readResourceServerConfig({ VERCEL: '1', RATE_LIMIT_CLIENT_HEADER: 'none' })
        .rateLimitClientHeader,
    ).toBeUndefined();
    expect(() =>
      readConfig({ SESSION_SECRET: SECRET, RATE_LIMIT_CLIENT_HEADER: 'bad header' }),
    ).toThrow(/RATE_LIMIT_CLIENT_HEADER/);
  });
});
