import { expect } from 'vitest';

/** The auth-params of a single `Bearer` challenge (RFC 7235 §2.1, quoted-string values). */
export function parseChallenge(header: string | null): Record<string, string> {
  expect(header, 'WWW-Authenticate').not.toBeNull();
  expect(header!.startsWith('Bearer ')).toBe(true);
  const rest = header!.slice('Bearer '.length);
  const params: Record<string, string> = {};
  const param = /\s*([A-Za-z_]+)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = param.exec(rest)) !== null) {
    params[match[1]!] = match[2]!.replace(/\\(.)/g, '$1');
    consumed = param.lastIndex;
  }
  expect(consumed, `unparseable challenge ${header}`).toBe(rest.length);
  return params;
}
