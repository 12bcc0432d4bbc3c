/**
 * lib/env-files.ts: the processes `npm run dev` starts besides Next (the runner, the local IdP,
 * the doctor) read .env.local and the other .env files as `next dev` does. Run in a real child
 * process, in a folder of its own, as those processes run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const MODULE = resolve('lib/env-files.ts');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'env-files-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** What a process started in `dir` sees after importing lib/env-files.ts. */
function seen(
  names: string[],
  env: Record<string, string> = {},
  nodeEnv?: string,
): Record<string, string | undefined> {
  const script = `const m = await import(${JSON.stringify(MODULE)}); console.log(JSON.stringify({ files: m.LOADED_ENV_FILES, ...Object.fromEntries(${JSON.stringify(names)}.map((n) => [n, process.env[n]])) }));`;
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    ...env,
    ...(nodeEnv ? { NODE_ENV: nodeEnv } : {}),
  };
  const out = execFileSync(
    process.execPath,
    [
      '--experimental-strip-types',
      '--disable-warning=ExperimentalWarning',
      '--input-type=module',
      '-e',
      script,
    ],
    {
      cwd: dir,
      env: childEnv as unknown as NodeJS.ProcessEnv,
      encoding: 'utf8',
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, string | undefined>;
}

describe('lib/env-files.ts', () => {
  it('reads IDP_ACCESS_TOKEN_TTL and OIDC_ISSUER from .env.local (what .env.example tells users to create)', () => {
    writeFileSync(
      join(dir, '.env.local'),
      'IDP_ACCESS_TOKEN_TTL=42\nOIDC_ISSUER=https://idp.example.com\n',
    );
    expect(seen(['IDP_ACCESS_TOKEN_TTL', 'OIDC_ISSUER'])).toMatchObject({
      IDP_ACCESS_TOKEN_TTL: '42',
      OIDC_ISSUER: 'https://idp.example.com',
      files: ['.env.local'],
    });
  });

  it('lets the real environment win over the files', () => {
    writeFileSync(join(dir, '.env.local'), 'IDP_ACCESS_TOKEN_TTL=42\n');
    expect(seen(['IDP_ACCESS_TOKEN_TTL'], { IDP_ACCESS_TOKEN_TTL: '7' }).IDP_ACCESS_TOKEN_TTL).toBe(
      '7',
    );
  });

  it('follows Next: .env.development.local, .env.local, .env.development, .env, the first wins', () => {
    writeFileSync(join(dir, '.env'), 'A=env\nB=env\nC=env\nD=env\n');
    writeFileSync(join(dir, '.env.development'), 'A=development\nB=development\nC=development\n');
    writeFileSync(join(dir, '.env.local'), 'A=local\nB=local\n');
    writeFileSync(join(dir, '.env.development.local'), 'A=development.local\n');
    expect(seen(['A', 'B', 'C', 'D'])).toMatchObject({
      A: 'development.local',
      B: 'local',
      C: 'development',
      D: 'env',
    });
  });

  it('reads nothing, and fails on nothing, without .env files', () => {
    expect(seen(['IDP_ACCESS_TOKEN_TTL'])).toEqual({ files: [] });
  });
});
