/**
 * .env.example lists every setting: each variable the app, the local IdP or the scripts read is
 * named in it. A variable added to the code without a line there fails this test.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Read by the code but not settings a user writes: set by Node, Next, Vercel or the test and bench tooling. */
const NOT_SETTINGS = new Set([
  'NODE_ENV',
  'NEXT_RUNTIME',
  'NO_COLOR',
  'FORCE_COLOR',
  'CI',
  'PATH',
  'HOME',
  // Vercel's system variables (docs/vercel.md explains how the app uses them).
  'VERCEL',
  'VERCEL_ENV',
  'VERCEL_URL',
  'VERCEL_BRANCH_URL',
  'VERCEL_PROJECT_PRODUCTION_URL',
  'VERCEL_AUTOMATION_BYPASS_SECRET',
  // Tooling: the benchmark's routes (npm run bench sets it), the Vercel CLI check, screenshots for the docs.
  'BENCH',
  'VERCEL_CLI_PREFIX',
  'UPDATE_SCREENSHOTS',
]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

function variablesRead(): Set<string> {
  const files = [
    ...['lib', 'app', 'idp', 'scripts'].flatMap(sources),
    'middleware.ts',
    'instrumentation.ts',
    'next.config.ts',
  ];
  const found = new Set<string>();
  const patterns = [
    /process\.env\.([A-Z][A-Z0-9_]{2,})/g,
    /\benv\.([A-Z][A-Z0-9_]{2,})/g,
    /\(\s*env\s*,\s*'([A-Z][A-Z0-9_]{2,})'/g,
    /env\[['"]([A-Z][A-Z0-9_]{2,})['"]\]/g,
  ];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns)
      for (const match of text.matchAll(pattern)) found.add(match[1]!);
  }
  return found;
}

describe('.env.example', () => {
  const example = readFileSync('.env.example', 'utf8');
  const read = variablesRead();

  it('finds the variables the code reads (the scan works)', () => {
    for (const name of [
      'SESSION_SECRET',
      'SESSION_SECRET_PREVIOUS',
      'SESSION_MAX_AGE',
      'SESSION_IDLE_TIMEOUT',
      'IDP_ACCESS_TOKEN_TTL',
      'OIDC_ISSUER',
      'API_AUDIENCE',
    ]) {
      expect(read, name).toContain(name);
    }
  });

  it('names every one of them', () => {
    const missing = [...read]
      .filter((name) => !NOT_SETTINGS.has(name) && !new RegExp(`\\b${name}\\b`).test(example))
      .sort();
    expect(missing).toEqual([]);
  });

  it('gives each setting a commented line of its own (NAME=…), so it can be uncommented', () => {
    const settings = [...read].filter(
      (name) =>
        !NOT_SETTINGS.has(name) &&
        !['KV_REST_API_URL', 'UPSTASH_REDIS_REST_URL', 'KV_URL'].includes(name),
    );
    const missing = settings.filter((name) => !new RegExp(`^# ${name}=`, 'm').test(example)).sort();
    expect(missing).toEqual([]);
  });
});
