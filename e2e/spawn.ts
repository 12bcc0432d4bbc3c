/**
 * Starts the production build (.next, built for the suite) as one more `next start`, with only
 * the settings given: for the tests that need an app configured unlike the suite's instances.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** process.env without any of the app's settings, plus `env`. */
function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !/^(SESSION_|OIDC_|API_|APP_BASE_URL|REDIS_URL|KV_|VERCEL|LAB$|PREVIEW_)/.test(name),
    ),
  );
  return { ...base, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...env };
}

export function start(
  port: number,
  env: Record<string, string>,
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  // Next's own binary under this Node, so that a signal reaches the server itself.
  const child = spawn(
    process.execPath,
    ['node_modules/next/dist/bin/next', 'start', '-p', String(port)],
    { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, output: () => output, exited };
}

export async function ready(url: string, deadline = Date.now() + 30_000): Promise<void> {
  while (Date.now() < deadline) {
    if (
      await fetch(url, { redirect: 'manual' }).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer`);
}
