/**
 * `npm run vercel:check`: proves that the app builds for Vercel, without an account or the
 * network, and that the build is what we deploy:
 *   - the middleware (the page guard) is an Edge function, under 256 KB gzipped;
 *   - every other function runs on Node;
 *   - no secret from the build's environment ends up in the output.
 *
 * It installs a pinned Vercel CLI in a cache folder (never in the app's dependencies), copies
 * the project to a temporary folder (so the build does not touch this checkout's .next), writes
 * the project settings and a .vercel/.env.production.local of sentinel values, and runs
 * `vercel build --prod` in a network namespace with only loopback (Turbopack's workers need it).
 * `.ci/run` calls it after `npm test`.
 *
 * Plain Node with type stripping: `node --experimental-strip-types scripts/vercel-check.ts`.
 * `--keep` leaves the temporary folder for a look at .vercel/output.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const VERCEL_VERSION = '60.1.3';
const EDGE_LIMIT_BYTES = 256 * 1024;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE =
  process.env.VERCEL_CLI_PREFIX ??
  join(process.env.HOME ?? homedir(), '.cache', 'next-oidc-reference', `vercel-${VERCEL_VERSION}`);

/** Values that must never appear in the build output: each is only in the build's environment. */
const SENTINELS = {
  SESSION_SECRET: 'sentinel-5f0c9a7e-b81d-4c2e-do-not-ship',
  OIDC_CLIENT_SECRET: 'sentinel-client-secret-b1d2e3f4-do-not-ship',
  API_INTROSPECTION_CLIENT_SECRET: 'sentinel-introspection-secret-77aa-do-not-ship',
  REDIS_PASSWORD: 'sentinel-redis-password-c0ffee-do-not-ship',
} as const;

const ENV_PRODUCTION = {
  SESSION_SECRET: SENTINELS.SESSION_SECRET,
  OIDC_ISSUER: 'https://idp.example.com',
  OIDC_CLIENT_ID: 'vercel-check-client',
  OIDC_CLIENT_SECRET: SENTINELS.OIDC_CLIENT_SECRET,
  API_INTROSPECTION_CLIENT_ID: 'vercel-check-api',
  API_INTROSPECTION_CLIENT_SECRET: SENTINELS.API_INTROSPECTION_CLIENT_SECRET,
  REDIS_URL: `rediss://default:${SENTINELS.REDIS_PASSWORD}@redis.example.com:6379`,
  APP_BASE_URL: 'https://app.example.com',
};

const PROJECT = {
  projectId: 'prj_vercel_check',
  orgId: 'team_vercel_check',
  settings: {
    framework: 'nextjs',
    nodeVersion: '24.x',
    // "" skips the install step (the copy has node_modules); null would try one, and hang offline.
    installCommand: '',
    buildCommand: null,
    outputDirectory: null,
    rootDirectory: null,
    devCommand: null,
    directoryListing: false,
    createdAt: 0,
  },
};

function run(command: string, args: string[], options: SpawnSyncOptions = {}): number {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

class CheckFailed extends Error {}

function fail(message: string): never {
  throw new CheckFailed(message);
}

function vercelCli(): string {
  const bin = join(CACHE, 'node_modules', '.bin', 'vercel');
  if (!existsSync(bin)) {
    console.log(`Installing vercel@${VERCEL_VERSION} into ${CACHE}`);
    mkdirSync(CACHE, { recursive: true });
    if (
      run('npm', [
        'install',
        '--prefix',
        CACHE,
        '--no-save',
        '--no-audit',
        '--no-fund',
        `vercel@${VERCEL_VERSION}`,
      ]) !== 0
    ) {
      fail(`could not install vercel@${VERCEL_VERSION}`);
    }
  }
  return bin;
}

/** The project's files (tracked, and new ones not ignored), copied; node_modules hard-linked. */
function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nor-vercel-check-'));
  const listed = spawnSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (listed.status !== 0) fail('git ls-files failed: run this from a git checkout');
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    if (!existsSync(join(ROOT, file))) continue; // deleted in the working tree
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(ROOT, file), join(dir, file));
  }
  // Hard links are instant on one file system; a plain copy elsewhere.
  if (
    run('cp', ['-al', join(ROOT, 'node_modules'), join(dir, 'node_modules')], {
      stdio: 'ignore',
    }) !== 0
  ) {
    cpSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), {
      recursive: true,
      verbatimSymlinks: true,
    });
  }
  mkdirSync(join(dir, '.vercel'));
  writeFileSync(join(dir, '.vercel', 'project.json'), JSON.stringify(PROJECT, null, 2));
  writeFileSync(
    join(dir, '.vercel', '.env.production.local'),
    Object.entries(ENV_PRODUCTION)
      .map(([k, v]) => `${k}="${v}"`)
      .join('\n') + '\n',
  );
  return dir;
}

const LOOPBACK_UP = 'ip link set lo up';

/** unshare's flags for a network namespace with loopback up (as root, or in a user namespace), if this machine can make one. */
function isolation(): string[] | undefined {
  return [['-n'], ['-rn']].find(
    (flags) =>
      spawnSync('unshare', [...flags, 'sh', '-c', LOOPBACK_UP], { stdio: 'ignore' }).status === 0,
  );
}

function build(dir: string, cli: string): void {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    VERCEL_TELEMETRY_DISABLED: '1',
    CI: '1',
  };
  // Nothing from this machine's own settings reaches the build: only .vercel/.env.production.local.
  for (const name of Object.keys(env))
    if (/^(SESSION_|OIDC_|API_|APP_BASE_URL|REDIS_URL|KV_|VERCEL_(?!TELEMETRY))/.test(name))
      delete env[name];
  const command = `${JSON.stringify(cli)} build --prod --yes`;
  let status: number;
  const flags = isolation();
  if (flags) {
    console.log('vercel build --prod, with no network (a network namespace with only loopback up)');
    status = run('unshare', [...flags, 'sh', '-c', `${LOOPBACK_UP} && exec ${command}`], {
      cwd: dir,
      env,
    });
  } else {
    console.warn(
      'vercel build --prod: this machine cannot make a network namespace (unshare, ip); building with network',
    );
    status = run('sh', ['-c', command], { cwd: dir, env });
  }
  if (status !== 0) fail(`vercel build --prod exited with ${status}`);
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

interface FunctionInfo {
  name: string;
  runtime: string;
  dir: string;
}

function functions(output: string): FunctionInfo[] {
  const root = join(output, 'functions');
  return files(root)
    .filter((file) => file.endsWith('.vc-config.json'))
    .map((file) => {
      const config = JSON.parse(readFileSync(file, 'utf8')) as { runtime?: string };
      const dir = dirname(file);
      return {
        name: relative(root, dir).replace(/\.func$/, ''),
        runtime: config.runtime ?? '(none)',
        dir,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The function's code, gzipped file by file (Vercel's limit is on the compressed code; source maps are not code). */
function gzippedSize(dir: string): number {
  return files(dir)
    .filter((f) => !f.endsWith('.vc-config.json') && !f.endsWith('.map'))
    .reduce((sum, f) => sum + gzipSync(readFileSync(f)).length, 0);
}

function check(dir: string): void {
  const output = join(dir, '.vercel', 'output');
  if (!existsSync(join(output, 'config.json'))) fail('.vercel/output/config.json is missing');
  const list = functions(output);
  if (!list.length) fail('the build produced no functions');

  const problems: string[] = [];
  const middleware = list.find((f) => f.name === '_middleware' || f.name === 'middleware');
  if (!middleware)
    problems.push(`no middleware function among: ${list.map((f) => f.name).join(', ')}`);
  else {
    if (middleware.runtime !== 'edge')
      problems.push(`the middleware runs on "${middleware.runtime}", not edge`);
    const size = gzippedSize(middleware.dir);
    console.log(
      `\nmiddleware (${middleware.runtime}): ${(size / 1024).toFixed(1)} KB gzipped (limit ${EDGE_LIMIT_BYTES / 1024} KB)`,
    );
    if (size >= EDGE_LIMIT_BYTES)
      problems.push(`the middleware is ${size} bytes gzipped, over ${EDGE_LIMIT_BYTES}`);
  }
  const others = list.filter((f) => f !== middleware);
  // Routes, without their RSC and segment variants (the same function under other names).
  const routes = others.filter((f) => !f.name.endsWith('.rsc') && !f.name.includes('.segments/'));
  const runtimes = new Map<string, string[]>();
  for (const f of routes) runtimes.set(f.runtime, [...(runtimes.get(f.runtime) ?? []), f.name]);
  console.log(`${others.length} other functions (${routes.length} routes and their RSC variants):`);
  for (const [runtime, names] of runtimes) console.log(`  ${runtime}: ${names.join(', ')}`);
  for (const f of others)
    if (!f.runtime.startsWith('nodejs'))
      problems.push(`${f.name} runs on "${f.runtime}", not Node`);

  // No sentinel in anything the build produced or would upload.
  const scanned = [...files(join(dir, '.next')), ...files(output)];
  const needles = Object.entries(SENTINELS).map(
    ([name, value]) => [name, Buffer.from(value)] as const,
  );
  let leaks = 0;
  for (const file of scanned) {
    if (statSync(file).size > 64 * 1024 * 1024) continue;
    const content = readFileSync(file);
    for (const [name, needle] of needles) {
      if (content.includes(needle)) {
        leaks++;
        problems.push(`${name}'s value is in ${relative(dir, file)}`);
      }
    }
  }
  console.log(
    `secrets: none of ${needles.length} sentinel values in ${scanned.length} files under .next and .vercel/output${leaks ? ` (${leaks} found)` : ''}`,
  );
  if (problems.length) fail(`\n  - ${problems.join('\n  - ')}`);
  console.log('\nvercel:check passed');
}

const keep = process.argv.includes('--keep');
let dir: string | undefined;
try {
  const cli = vercelCli();
  dir = copyProject();
  build(dir, cli);
  check(dir);
} catch (err) {
  if (!(err instanceof CheckFailed)) throw err;
  console.error(`\nvercel:check failed: ${err.message}`);
  process.exitCode = 1;
} finally {
  if (dir && keep) console.log(`kept ${dir}`);
  else if (dir) rmSync(dir, { recursive: true, force: true });
}
