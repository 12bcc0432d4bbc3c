import { describe, expect, it } from 'vitest';
import { safeReturnTo } from '@/lib/client/return-to';

const APP = 'https://app.example';

/** The open-redirect property every output must have, whatever the input. */
function expectSameOriginPath(output: string): void {
  expect(output.startsWith('/')).toBe(true);
  expect(output.startsWith('//')).toBe(false);
  expect(output.startsWith('/\\')).toBe(false);
  expect(new URL(output, APP).origin).toBe(APP);
}

describe('safeReturnTo', () => {
  const accepted: ReadonlyArray<readonly [string, string]> = [
    ['/dashboard', '/dashboard'],
    ['/dashboard?x=1#h', '/dashboard?x=1#h'],
    ['/a/b?c=%2F', '/a/b?c=%2F'],
    ['/', '/'],
  ];

  it.each(accepted)('accepts the same-origin path %j', (input, expected) => {
    const output = safeReturnTo(input);
    expect(output).toBe(expected);
    expectSameOriginPath(output);
  });

  const rejected: ReadonlyArray<readonly [string, string | null | undefined]> = [
    ['null', null],
    ['undefined', undefined],
    ['empty string', ''],
    ['protocol-relative //host', '//evil.example'],
    ['/\\host (backslash)', '/\\evil.example'],
    ['\\/host (leading backslash)', '\\/evil'],
    ['absolute https URL', 'https://evil.example'],
    ['scheme with a single slash', 'http:/evil'],
    ['javascript: URL', 'javascript:alert(1)'],
    ['percent-encoded //', '%2F%2Fevil'],
    ['tab after the first slash', '/\t/evil'],
    ['newline after the first slash', '/\n/evil'],
    ['carriage return after the first slash', '/\r/evil'],
    ['NUL byte', '/\u0000/evil'],
    ['DEL byte', '/\u007f/evil'],
    ['a 3000-character path', `/${'a'.repeat(2999)}`],
    ['leading space', ' /dashboard'],
    ['bare host name', 'evil.example'],
  ];

  it.each(rejected)('rejects %s and returns "/"', (_label, input) => {
    const output = safeReturnTo(input);
    expect(output).toBe('/');
    expectSameOriginPath(output);
  });

  it('returns the given fallback for a rejected value', () => {
    expect(safeReturnTo('//evil.example', '/home')).toBe('/home');
    expect(safeReturnTo(null, '/home')).toBe('/home');
  });

  it('accepts a path of exactly 2048 characters and rejects 2049', () => {
    const at = `/${'a'.repeat(2047)}`;
    expect(at).toHaveLength(2048);
    expect(safeReturnTo(at)).toBe(at);
    expect(safeReturnTo(`${at}a`)).toBe('/');
  });

  it('keeps a percent-encoded control character as an inert path', () => {
    const output = safeReturnTo('/%0a');
    expect(output).toBe('/%0a');
    expectSameOriginPath(output);
    expect(new URL(output, APP).pathname).toBe('/%0a');
  });

  it('keeps slashes after "?" or "#" inside the query or fragment', () => {
    for (const input of ['/?//evil.example', '/#//evil.example']) {
      const output = safeReturnTo(input);
      expect(output).toBe(input);
      expectSameOriginPath(output);
    }
  });

  it('normalises dot segments that stay inside the path', () => {
    expect(safeReturnTo('/a/../b')).toBe('/b');
    expect(safeReturnTo('/../dashboard')).toBe('/dashboard');
  });

  it('percent-encodes spaces and non-ASCII characters', () => {
    const output = safeReturnTo('/a b/\u00e9');
    expect(output).toBe('/a%20b/%C3%A9');
    expectSameOriginPath(output);
  });

  // Dot segments are resolved by the URL parser, so "/..//evil" would normalise into "//evil",
  // a protocol-relative URL (an open redirect). The result is checked after parsing.
  it.each(['/..//evil', '/.//evil', '/a/..//evil', '/%2e%2e//evil', '/%2E//evil'])(
    '%j falls back to "/" instead of yielding a protocol-relative path',
    (input) => {
      expect(safeReturnTo(input)).toBe('/');
    },
  );

  it.each([
    ...accepted.map(([i]) => i),
    ...rejected.map(([, i]) => i),
    '/%0a',
    '/?//x',
    '/#//x',
    '/a/../b',
  ])('property: output for %j is a same-origin path', (input) => {
    expectSameOriginPath(safeReturnTo(input));
  });
});
