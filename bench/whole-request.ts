/**
 * `npm run bench`: whole requests against the production build, side by side in one run.
 *
 * It builds the app (`next build`), starts the local IdP, `next start` with BENCH=1 (the trivial
 * comparison routes of lib/bench/enabled.ts) and a bare node:http + jose server, signs in as
 * alice over HTTP for a real session and a real access token, then loads each target with
 * autocannon. The server runs pinned to core 0 and the load generator to core 1 (`taskset`), so
 * the figures mean something on a small machine. Targets are measured in alternating rounds and
 * every row is a ratio of two targets measured in the same run. It also reports the session
 * cookie's size, the server's RSS after the run, and the cold paths (`next start` and `next dev`
 * to ready, and their first requests). It writes bench/RESULTS.md.
 *
 *   npm run bench                 the full run (about 3 minutes here)
 *   npm run bench -- --quick      1-second targets, no `next dev` cold path, no RESULTS.md (CI smoke)
 *   npm run bench -- --no-build   reuse .next
 *   npm run bench -- --only=store run only the targets whose name matches (a regular expression)
 *   npm run bench -- --profile    the app servers write V8 CPU profiles to bench/profiles/
 *                                 (open them in Chrome DevTools' Performance panel)
 *
 * Plain Node with type stripping; it imports no app code (it talks to the app over HTTP).
 */
import { randomBytes } from 'node:crypto';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import autocannon from 'autocannon';
import { unsealData } from 'iron-session';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const QUICK = process.argv.includes('--quick');
const BUILD = !process.argv.includes('--no-build');
const DURATION_S = QUICK ? 1 : 4;
const ROUNDS = QUICK ? 1 : 5;
const CONNECTIONS = 8;
const ONLY = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const PROFILE = process.argv.includes('--profile');
/** Node flags for the app servers: a CPU profile each, written when they stop (--profile). */
const NODE_FLAGS = PROFILE
  ? ['--cpu-prof', `--cpu-prof-dir=${join(dirname(fileURLToPath(import.meta.url)), 'profiles')}`]
  : [];

const APP_PORT = 3100;
const BARE_PORT = 3101;
const APP = `http://localhost:${APP_PORT}`;
/** The same build in store mode (SESSION_STORE=redis), against a redis-server the bench starts. */
const STORE_APP_PORT = 3102;
const STORE_APP = `http://localhost:${STORE_APP_PORT}`;
/**
 * A third instance of the same build, in cookie mode like the first: a control for store mode,
 * which runs in a second process that sits idle while the first is loaded.
 */
const SECOND_APP_PORT = 3103;
const SECOND_APP = `http://localhost:${SECOND_APP_PORT}`;
const REDIS_PORT = 6392;
const IDP = 'http://localhost:4000';
/** Generated per run: production mode refuses a hand-written sample (lib/config.ts). */
const SECRET = randomBytes(32).toString('base64url');
const children: ChildProcess[] = [];

// ---------------------------------------------------------------------------------------------
// processes

/** Whether processes can be pinned to cores (asked once). */
const CAN_PIN = spawnSync('taskset', ['-c', '0', 'true']).status === 0 && cpus().length > 1;

const pinned = (core: number, command: string, args: string[]) =>
  (CAN_PIN ? ['taskset', ['-c', String(core), command, ...args]] : [command, args]) as [
    string,
    string[],
  ];

function start(command: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  children.push(child);
  return child;
}

function stopAll(): void {
  for (const child of children) {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}
process.on('exit', stopAll);
process.on('SIGINT', () => process.exit(130));

async function until(url: string, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (
      await fetch(url, { redirect: 'manual' }).then(
        () => true,
        () => false,
      )
    )
      return performance.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** The resident memory of a process and its descendants, in MB. */
function rssMb(pid: number): number {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    for (const task of spawnSync('ls', [`/proc/${pids[i]}/task`], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean)) {
      const kids = spawnSync('cat', [`/proc/${pids[i]}/task/${task}/children`], {
        encoding: 'utf8',
      }).stdout.trim();
      if (kids) pids.push(...kids.split(/\s+/).map(Number));
    }
  }
  let kb = 0;
  for (const p of pids) {
    const status = spawnSync('cat', [`/proc/${p}/status`], { encoding: 'utf8' }).stdout;
    kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return Math.round(kb / 1024);
}

/** CPU seconds a process has used so far (user + system, /proc/<pid>/stat). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return 0;
  }
}

/**
 * Waits until the servers are idle: a server just loaded keeps its core busy for a while after
 * the load stops (garbage collection, V8's idle-time work), which would be charged to whichever
 * target runs next on that core. At most 10 s.
 */
async function settle(): Promise<void> {
  const pids = children.map((c) => c.pid!).filter(Boolean);
  const started = performance.now();
  let before = pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  while (performance.now() - started < 10_000) {
    await new Promise((r) => setTimeout(r, 300));
    const now = pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    if (now - before <= 0.02) return; // under about 7% of a core over 300 ms
    before = now;
  }
}

// ---------------------------------------------------------------------------------------------
// a real session: sign in as alice over HTTP, as a browser would

function cookiesOf(response: Response, jar: Map<string, string>): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';', 1) as [string];
    const eq = pair.indexOf('=');
    if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(pair.slice(0, eq));
    else jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
}
const header = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

/** Signs in as alice; the session cookie, and (with the bench's own secret) the access token it holds. */
async function signIn(
  secret?: string,
  base = APP,
): Promise<{ cookie: string; accessToken?: string; cookieBytes: number }> {
  const app = new Map<string, string>();
  const idp = new Map<string, string>();
  let response = await fetch(`${base}/auth/login?returnTo=%2F`, { redirect: 'manual' });
  cookiesOf(response, app);
  let location = response.headers.get('location');
  while (location && new URL(location, IDP).origin === IDP) {
    const url = new URL(location, IDP);
    const uid = /^\/interaction\/([\w-]+)$/.exec(url.pathname)?.[1];
    response = uid
      ? await fetch(`${IDP}/interaction/${uid}/login`, {
          method: 'POST',
          headers: { cookie: header(idp), 'content-type': 'application/x-www-form-urlencoded' },
          body: 'login=alice&password=alice',
          redirect: 'manual',
        })
      : await fetch(url, { headers: { cookie: header(idp) }, redirect: 'manual' });
    cookiesOf(response, idp);
    location = response.headers.get('location');
  }
  response = await fetch(new URL(location!, base), {
    headers: { cookie: header(app) },
    redirect: 'manual',
  });
  cookiesOf(response, app);
  // `__Host-session` in production, `session` under `next dev`.
  const name = ['__Host-session', 'session'].find((n) => app.has(n));
  const session = name ? app.get(name)! : undefined;
  if (!name || !session) throw new Error(`sign-in did not end in a session (${response.status})`);
  const cookie = { cookie: `${name}=${session}`, cookieBytes: name.length + 1 + session.length };
  if (!secret) return cookie;
  const accessToken = await accessTokenOf(session, secret);
  return { ...cookie, accessToken };
}

/** The access token a cookie-mode session cookie holds, opened with the bench's own secret. */
async function accessTokenOf(sealed: string, secret: string): Promise<string> {
  // The app's password map: the id is the first 40 bits of SHA-256(secret), plus one (lib/cookies/seal.ts).
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret)),
  );
  const id = digest.slice(0, 5).reduce((n, byte) => n * 256 + byte, 0) + 1;
  const { accessToken } = await unsealData<{ accessToken: string }>(sealed, {
    password: { [id]: secret },
  });
  return accessToken;
}

/**
 * The sign-in round trip in a real Chromium: the dashboard, the IdP's login form, back on the
 * dashboard with its two /api calls. Each in a fresh browser context; the median, in ms.
 */
async function browserSignIns(count: number): Promise<number> {
  const system = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  const browser = await chromium.launch(
    existsSync(chromium.executablePath()) || !system
      ? {}
      : { executablePath: system, args: ['--no-sandbox', '--disable-gpu'] },
  );
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(`${APP}/dashboard`);
      await page.getByLabel('Username').fill('alice');
      await page.getByLabel('Password').fill('alice');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${APP}/dashboard`);
      await page.getByTestId('api-me-status').waitFor();
      times.push(performance.now() - started);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return median(times);
}

// ---------------------------------------------------------------------------------------------
// load

interface Target {
  name: string;
  url: string;
  /** Built for each run: the session cookie is kept current between runs. */
  headers?: () => Record<string, string>;
  expect: number;
  /** The processes that serve it, whose CPU time is charged to it (the app, and Redis in store mode). */
  pids: number[];
}
interface Sample {
  rps: number;
  /** CPU time the serving processes spent per request, in ms: immune to what else ran on the core. */
  cpuMs: number;
  /** The same, per serving process (for store mode: the app, then redis-server). */
  cpuMsEach: number[];
  p50: number;
  p99: number;
  errors: number;
}

async function load(target: Target, seconds: number): Promise<Sample> {
  const cpu = () => target.pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const before = cpu();
  const beforeEach = target.pids.map(cpuSeconds);
  const result = await autocannon({
    url: target.url,
    headers: target.headers?.(),
    connections: CONNECTIONS,
    duration: seconds,
  });
  const cpuMs = ((cpu() - before) * 1000) / Math.max(1, result.requests.total);
  const cpuMsEach = target.pids.map(
    (pid, i) => ((cpuSeconds(pid) - beforeEach[i]!) * 1000) / Math.max(1, result.requests.total),
  );
  const wrong = Object.entries(result.statusCodeStats ?? {}).filter(
    ([code]) => Number(code) !== target.expect,
  );
  if (wrong.length || result.errors)
    throw new Error(
      `${target.name}: ${JSON.stringify(result.statusCodeStats)} errors ${result.errors}`,
    );
  return {
    rps: result.requests.average,
    cpuMs,
    cpuMsEach,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// ---------------------------------------------------------------------------------------------

async function coldDev(): Promise<{ readyMs: number; firstDashboardMs: number } | undefined> {
  if (QUICK) return undefined;
  // `npm run dev` starts the local IdP too, on :4000: run before ours.
  const started = performance.now();
  const dev = start('npm', ['run', 'dev', '--', '-p', String(APP_PORT)], { APP_BASE_URL: APP });
  await until(`${APP}/`, 120_000);
  const readyMs = performance.now() - started;
  // Signed in, so that the first /dashboard compiles the page (and the /api routes it calls).
  const { cookie } = await signIn();
  const t = performance.now();
  const dashboard = await fetch(`${APP}/dashboard`, { headers: { cookie }, redirect: 'manual' });
  const firstDashboardMs = performance.now() - t;
  if (dashboard.status !== 200)
    throw new Error(`next dev: /dashboard answered ${dashboard.status}`);
  process.kill(-dev.pid!, 'SIGTERM');
  await new Promise((r) => dev.once('exit', r));
  await new Promise((r) => setTimeout(r, 500));
  return { readyMs, firstDashboardMs };
}

async function main() {
  if (
    spawnSync('taskset', ['-p', '-c', '1', String(process.pid)]).status !== 0 ||
    cpus().length < 2
  ) {
    console.warn(
      'taskset or a second core is missing: the server and the load generator share cores; ratios are rough',
    );
  }
  if (BUILD) {
    console.log('next build …');
    if (
      spawnSync('npx', ['next', 'build'], {
        cwd: ROOT,
        stdio: 'inherit',
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      }).status !== 0
    )
      throw new Error('next build failed');
  }
  const dev = await coldDev();

  start(
    'node',
    ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'idp/server.ts'],
    { APP_BASE_URL: APP, IDP_EXTRA_APP_URLS: STORE_APP },
  );
  await until(`${IDP}/.well-known/openid-configuration`);

  const [cmd, args] = pinned(0, 'node', [
    ...NODE_FLAGS,
    'node_modules/next/dist/bin/next',
    'start',
    '-p',
    String(APP_PORT),
  ]);
  const t0 = performance.now();
  const server = start(cmd, args, {
    BENCH: '1',
    SESSION_SECRET: SECRET,
    APP_BASE_URL: APP,
    NODE_ENV: 'production',
  });
  await until(`${APP}/bench/public`);
  const startReadyMs = performance.now() - t0;
  const t1 = performance.now();
  await fetch(`${APP}/bench/public`);
  const firstRequestMs = performance.now() - t1;

  // Store mode: the same build, sessions in a real Redis (nothing on disk), on the same core.
  const redis = start(
    ...pinned(0, 'redis-server', [
      '--port',
      String(REDIS_PORT),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ]),
    {},
  );
  const [storeCmd, storeArgs] = pinned(0, 'node', [
    ...NODE_FLAGS,
    'node_modules/next/dist/bin/next',
    'start',
    '-p',
    String(STORE_APP_PORT),
  ]);
  const storeServer = start(storeCmd, storeArgs, {
    BENCH: '1',
    SESSION_SECRET: SECRET,
    APP_BASE_URL: STORE_APP,
    API_AUDIENCE: `${APP}/api`,
    NODE_ENV: 'production',
    SESSION_STORE: 'redis',
    REDIS_URL: `redis://127.0.0.1:${REDIS_PORT}`,
  });
  await until(`${STORE_APP}/bench/public`);

  const [secondCmd, secondArgs] = pinned(0, 'node', [
    ...NODE_FLAGS,
    'node_modules/next/dist/bin/next',
    'start',
    '-p',
    String(SECOND_APP_PORT),
  ]);
  // The same secret as the first: the first one's session cookie opens here too.
  const secondServer = start(secondCmd, secondArgs, {
    BENCH: '1',
    SESSION_SECRET: SECRET,
    APP_BASE_URL: SECOND_APP,
    API_AUDIENCE: `${APP}/api`,
    NODE_ENV: 'production',
  });
  await until(`${SECOND_APP}/bench/public`);

  const [bareCmd, bareArgs] = pinned(0, 'node', [
    '--experimental-strip-types',
    '--disable-warning=ExperimentalWarning',
    'bench/bare-jose-server.ts',
    String(BARE_PORT),
    IDP,
    `${APP}/api`,
  ]);
  const bare = start(bareCmd, bareArgs, {});
  await until(`http://127.0.0.1:${BARE_PORT}/`);

  const signedIn = await signIn(SECRET);
  const { cookieBytes } = signedIn;
  let accessToken = signedIn.accessToken!;
  const bearer = () => ({ authorization: `Bearer ${accessToken}` });
  // A browser keeps its cookie current: the guard writes the last-activity time back at most
  // once a minute, and the browser sends the new value from then on. autocannon does not, so
  // the cookie is renewed before each run; otherwise every request after the first minute
  // would be a write-back (a seal and a Set-Cookie), which no real browser causes.
  const cookies: Record<string, string> = {
    [APP]: signedIn.cookie,
    [STORE_APP]: (await signIn(undefined, STORE_APP)).cookie,
  };
  // The run outlasts the local IdP's 5-minute access tokens, so the session is also refreshed
  // (/auth/refresh, as a page would when its token is due), and the bearer token taken from it.
  const renewCookie = async (base: string) => {
    for (const path of ['/auth/refresh?returnTo=%2F', '/bench/guarded']) {
      const response = await fetch(`${base}${path}`, {
        headers: { cookie: cookies[base]! },
        redirect: 'manual',
      });
      const renewed = response.headers
        .getSetCookie()
        .map((line) => line.split(';', 1)[0]!)
        .filter((pair) => pair.startsWith('__Host-session=') && pair.length > 15);
      if (renewed.length) cookies[base] = renewed.join('; ');
    }
    if (base === APP)
      accessToken = await accessTokenOf(cookies[APP]!.slice('__Host-session='.length), SECRET);
  };
  const withCookie =
    (extra: Record<string, string> = {}, base = APP) =>
    () => ({ cookie: cookies[base]!, ...extra });
  const app = [server.pid!];
  const store = [storeServer.pid!, redis.pid!];
  const allTargets: Target[] = [
    { name: 'public page', url: `${APP}/bench/public`, expect: 200, pids: app },
    // The same public page, carrying the session cookie: what carrying it costs, without the guard's checks.
    {
      name: 'public page + cookie',
      url: `${APP}/bench/public`,
      headers: withCookie(),
      expect: 200,
      pids: app,
    },
    // The same target again: an A/A control. Its ratio to the first is the noise floor of a run.
    {
      name: 'public page + cookie, again',
      url: `${APP}/bench/public`,
      headers: withCookie(),
      expect: 200,
      pids: app,
    },
    {
      name: 'guarded page',
      url: `${APP}/bench/guarded`,
      headers: withCookie(),
      expect: 200,
      pids: app,
    },
    {
      name: 'guarded + requireSession',
      url: `${APP}/bench/checked`,
      headers: withCookie(),
      expect: 200,
      pids: app,
    },
    {
      name: 'guarded + requireSession, second process',
      url: `${SECOND_APP}/bench/checked`,
      headers: withCookie(),
      expect: 200,
      pids: [secondServer.pid!],
    },
    {
      name: 'guarded + requireSession, store mode',
      url: `${STORE_APP}/bench/checked`,
      headers: withCookie({}, STORE_APP),
      expect: 200,
      pids: store,
    },
    { name: 'empty route handler', url: `${APP}/api/bench/empty`, expect: 200, pids: app },
    { name: 'GET /api/me (JWT)', url: `${APP}/api/me`, headers: bearer, expect: 200, pids: app },
    {
      name: 'bare node:http + jose',
      url: `http://127.0.0.1:${BARE_PORT}/`,
      headers: bearer,
      expect: 200,
      pids: [bare.pid!],
    },
    {
      name: 'GET /bff/notes',
      url: `${APP}/bff/notes`,
      headers: withCookie({ 'x-bff-request': '1', 'sec-fetch-site': 'same-origin' }),
      expect: 200,
      pids: app,
    },
  ];

  const targets = ONLY ? allTargets.filter((t) => new RegExp(ONLY, 'i').test(t.name)) : allTargets;
  if (!targets.length)
    throw new Error(
      `--only=${ONLY} matches no target: ${allTargets.map((t) => t.name).join(', ')}`,
    );
  console.log(`warming up (${targets.length} targets) …`);
  const renewAll = async () => {
    await renewCookie(APP);
    await renewCookie(STORE_APP);
  };
  for (const target of targets) {
    await renewAll();
    await load(target, 1);
  }
  const rssByRound: number[] = [];
  const samples = new Map<string, Sample[]>(targets.map((t) => [t.name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const target of round % 2 ? targets : [...targets].reverse()) {
      await renewAll();
      // A second of load first, not measured: a server that sat idle while the others ran has
      // cold code again (V8 flushes the bytecode of functions unused for a while), and that
      // warm-up would be charged to this target alone.
      if (!QUICK) await load(target, 1);
      await settle();
      samples.get(target.name)!.push(await load(target, DURATION_S));
    }
    rssByRound.push(rssMb(server.pid!));
    console.log(`round ${round}/${ROUNDS} done; server RSS ${rssByRound.at(-1)} MB`);
  }
  const rss = rssMb(server.pid!);
  const signInMs = await browserSignIns(QUICK ? 1 : 5);

  const summary = new Map(
    [...samples].map(([name, list]) => [
      name,
      {
        rps: median(list.map((x) => x.rps)),
        cpuMs: median(list.map((x) => x.cpuMs)),
        p50: median(list.map((x) => x.p50)),
        p99: median(list.map((x) => x.p99)),
      },
    ]),
  );
  const has = (name: string) => summary.has(name);
  /**
   * A ratio of two targets, when both ran (--only may leave some out), measured two ways, each
   * the median of the per-round ratios (the two targets ran seconds apart, so slow drift of the
   * machine cancels) with its range over the rounds:
   * - throughput: requests/s of `a` ÷ requests/s of `b`, as the goals are stated;
   * - CPU per request: that of `b` ÷ that of `a` (the same sense: above 1 means `b` costs more).
   *   The CPU time of the serving processes alone, so work left over by another server on the
   *   same core (its garbage collection after its own run) is not charged to this one.
   */
  const ratioRow = (label: string, a: string, b: string, goal: string): string[] => {
    if (!has(a) || !has(b)) return [];
    const [sa, sb] = [samples.get(a)!, samples.get(b)!];
    const describe = (perRound: number[]) => [
      `${median(perRound).toFixed(2)}x`,
      `${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)}`,
    ];
    return [
      label,
      ...describe(sa.map((x, i) => x.rps / sb[i]!.rps)),
      ...describe(sa.map((x, i) => sb[i]!.cpuMs / x.cpuMs)),
      goal,
    ];
  };
  const rows = [
    ratioRow(
      "public page ÷ guarded page (the guard's cost)",
      'public page',
      'guarded page',
      '≤ 1.05x',
    ),
    ratioRow(
      'public page ÷ guard + requireSession',
      'public page',
      'guarded + requireSession',
      '≤ 1.10x',
    ),
    ratioRow(
      'guard + requireSession: the second process (cookie mode) ÷ store mode',
      'guarded + requireSession, second process',
      'guarded + requireSession, store mode',
      'reported (store mode against a process that idles alike)',
    ),
    ratioRow(
      'guard + requireSession: cookie mode ÷ store mode (Redis)',
      'guarded + requireSession',
      'guarded + requireSession, store mode',
      'reported',
    ),
    ratioRow(
      "public page + cookie ÷ guarded page (the guard's checks alone)",
      'public page + cookie',
      'guarded page',
      'reported',
    ),
    ratioRow(
      'A/A control: public page + cookie ÷ the same, again (the noise floor)',
      'public page + cookie',
      'public page + cookie, again',
      'about 1.00x',
    ),
    ratioRow(
      'public page ÷ public page + cookie (carrying the cookie)',
      'public page',
      'public page + cookie',
      'reported',
    ),
    ratioRow(
      'GET /api/me ÷ empty route handler',
      'GET /api/me (JWT)',
      'empty route handler',
      '≥ 0.97x',
    ),
    ratioRow(
      'GET /api/me ÷ bare node:http + jose',
      'GET /api/me (JWT)',
      'bare node:http + jose',
      'reported',
    ),
    ratioRow(
      'GET /bff/notes ÷ GET /api/me',
      'GET /bff/notes',
      'GET /api/me (JWT)',
      'reported (the BFF calls /api)',
    ),
  ].filter((row) => row.length);

  const node = process.version;
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `# Whole-request benchmark`,
    '',
    `${new Date().toISOString().slice(0, 10)} · ${cpu}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB · Node ${node} · Next.js ${JSON.parse(readFileSync(join(ROOT, 'node_modules/next/package.json'), 'utf8')).version}`,
    `Server pinned to core 0, autocannon (${CONNECTIONS} connections) on core 1; ${ROUNDS} alternating rounds of ${DURATION_S} s per target; requests/s, CPU and latencies are medians over rounds, ratios are medians of per-round ratios.`,
    'CPU per request is the CPU time of the processes serving a target (the app; in store mode also redis-server), per request: what the target costs, whatever else ran on the core.',
    '',
    '| target | requests/s | CPU ms per request | p50 ms | p99 ms |',
    '|---|---|---|---|---|',
    ...[...summary].map(
      ([name, v]) =>
        `| ${name} | ${Math.round(v.rps)} | ${v.cpuMs.toFixed(2)} | ${v.p50} | ${v.p99} |`,
    ),
    '',
    '| ratio | throughput | its range | CPU per request | its range | goal |',
    '|---|---|---|---|---|---|',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
    '',
    ...(samples.has('guarded + requireSession, store mode')
      ? [
          `- Store mode's CPU per request, by process: the app ${median(samples.get('guarded + requireSession, store mode')!.map((x) => x.cpuMsEach[0]!)).toFixed(2)} ms, redis-server ${median(samples.get('guarded + requireSession, store mode')!.map((x) => x.cpuMsEach[1]!)).toFixed(2)} ms.`,
        ]
      : []),
    `- Session cookie (cookie mode, local IdP tokens): ${cookieBytes} bytes.`,
    `- Server RSS after each round: ${rssByRound.join(', ')} MB; after the Chromium sign-ins: ${rss} MB.`,
    `- Sign-in round trip in Chromium (the dashboard, the IdP's login form, back on the dashboard with its /api calls; median of ${QUICK ? 1 : 5}, typing included): ${Math.round(signInMs)} ms.`,
    `- \`next start\` to ready: ${Math.round(startReadyMs)} ms; its first request: ${Math.round(firstRequestMs)} ms.`,
    ...(dev
      ? [
          `- \`npm run dev\` to ready: ${Math.round(dev.readyMs)} ms; the first signed-in \`/dashboard\` (compiling it and the /api routes it calls): ${Math.round(dev.firstDashboardMs)} ms.`,
        ]
      : []),
    '',
  ];
  console.log(`\n${lines.join('\n')}`);
  if (!QUICK && !ONLY && !PROFILE)
    writeFileSync(join(ROOT, 'bench', 'RESULTS.md'), lines.join('\n'));
}

main().then(
  async () => {
    stopAll();
    if (PROFILE) {
      // The servers write their profiles as they exit.
      await Promise.all(
        children.map((c) =>
          c.exitCode === null && c.signalCode === null
            ? new Promise((r) => c.once('exit', r))
            : undefined,
        ),
      );
      console.log(`CPU profiles: ${join(ROOT, 'bench', 'profiles')}`);
    }
    process.exit(0);
  },
  (err: unknown) => {
    console.error(err);
    stopAll();
    process.exit(1);
  },
);
