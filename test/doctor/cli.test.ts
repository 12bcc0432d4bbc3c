/**
 * `npm run doctor`: scripts/doctor.ts run by plain Node (type stripping) in a child process,
 * against the fake provider of ../support/provider.ts (set up by ./helpers.ts): exit codes, the
 * printed findings and the summary, a token read from stdin.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLIENT_SECRET, env, provider, setUpProvider } from './helpers.ts';

/** The repository's root: scripts/doctor.ts runs from there. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

setUpProvider();

describe('npm run doctor (scripts/doctor.ts under plain Node type stripping)', () => {
  function cli(
    args: string[],
    vars: Record<string, string | undefined>,
    stdin?: string,
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--experimental-strip-types',
          '--disable-warning=ExperimentalWarning',
          'scripts/doctor.ts',
          ...args,
        ],
        {
          cwd: ROOT,
          env: { PATH: process.env.PATH, NODE_ENV: 'test', ...vars },
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin ?? '');
    });
  }

  it('exits 0 for a good provider, with one marked line per finding and a summary', async () => {
    const { code, stdout, stderr } = await cli([], env());
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(
      `✔ issuer: the metadata's issuer is exactly OIDC_ISSUER: ${provider.issuer}`,
    );
    expect(stdout).toContain('✔ client credentials:');
    expect(stdout).toMatch(/\n✔ \d+ ok, \d+ warnings?, 0 failed, \d+ info\n/);
    expect(stdout).not.toContain('\u001b['); // no colour without a TTY
    expect(stdout).not.toContain(CLIENT_SECRET);
  });

  it('exits 1 when a check fails, with the fix on an indented line', async () => {
    provider.metadata = { code_challenge_methods_supported: ['plain'] };
    const { code, stdout } = await cli([], env());
    expect(code).toBe(1);
    expect(stdout).toMatch(/✖ PKCE: .*plain.*\n {4}fix: Enable PKCE with the S256 method/);
    expect(stdout).toMatch(/✖ \d+ ok, \d+ warnings?, 1 failed/);
  });

  it('reads --token - from stdin and fails a token for another audience', async () => {
    const token = await provider.mint({ aud: 'https://other.example/api' });
    const { code, stdout } = await cli(['--token', '-'], env(), `${token}\n`);
    expect(code).toBe(1);
    expect(stdout).toContain("✖ access token aud: the token's aud is https://other.example/api");
    expect(stdout).toContain('the pasted token');
    expect(stdout).not.toContain(token);
    expect(stdout).not.toContain(token.split('.')[2]!);
  });

  it('exits 2 on a bad argument', async () => {
    const { code, stderr } = await cli(['--tokn'], env());
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: npm run doctor');
  });
});
