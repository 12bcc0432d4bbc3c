/**
 * `npm run dev`: the local identity provider (unless OIDC_ISSUER points at a real one) beside
 * `next dev`, with prefixed logs. Ctrl-C stops both; if either exits, the other is stopped too.
 */
import { LOADED_ENV_FILES } from '../lib/env-files.ts'; // first: .env.local reaches the IdP and this runner
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const children: ChildProcess[] = [];
let stopping = false;

function start(name: string, code: number, args: string[]): void {
  const prefix = paint(code, `[${name}]`.padEnd(6));
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: color ? { ...process.env, FORCE_COLOR: '1' } : process.env,
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) => console.log(`${prefix} ${line}`));
  }
  child.on('exit', (exitCode, signal) => {
    if (stopping) return;
    console.log(`${prefix} exited (${signal ?? exitCode}); stopping the others`);
    stop(exitCode ?? 1);
  });
  children.push(child);
}

function stop(exitCode = 0): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(exitCode), 3000).unref();
  Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)),
  ).then(() => process.exit(exitCode));
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

if (LOADED_ENV_FILES.length)
  console.log(`${paint(35, '[dev]'.padEnd(6))} settings from ${LOADED_ENV_FILES.join(', ')}`);
if (process.env.OIDC_ISSUER) {
  console.log(
    `${paint(35, '[dev]'.padEnd(6))} OIDC_ISSUER is set (${process.env.OIDC_ISSUER}): the local identity provider is not started.`,
  );
} else {
  start('idp', 35, [
    '--experimental-strip-types',
    '--disable-warning=ExperimentalWarning',
    'idp/server.ts',
  ]);
}
start('next', 36, [
  createRequire(import.meta.url).resolve('next/dist/bin/next'),
  'dev',
  ...process.argv.slice(2),
]);
