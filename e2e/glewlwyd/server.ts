/**
 * A throwaway Glewlwyd (Debian's `glewlwyd` 2.7), an independent certified OpenID provider, on
 * http://localhost:4200 (127.0.0.1 only; GLEWLWYD_PORT overrides). Run it standalone:
 *
 *   node --experimental-strip-types --disable-warning=ExperimentalWarning e2e/glewlwyd/server.ts
 *
 * It builds a fresh instance in a temporary folder (a sqlite database from Debian's schema, a
 * config file, a copy of the login web app, a new RSA key), starts Glewlwyd, then configures it
 * through its admin REST API only: scopes, two users, one confidential client and, last, the
 * OIDC plugin instance `oidc`, whose issuer is exactly settings.ts GLEWLWYD_ISSUER. Discovery
 * (what Playwright's webServer polls) answers only once that plugin exists, so only once
 * everything else is in place. It prints `glewlwyd ready on <issuer>` and stays in the
 * foreground; SIGINT/SIGTERM stop Glewlwyd and remove the folder. If Glewlwyd dies, it exits 1.
 *
 * Give Playwright's webServer entry `gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 }`:
 * its default is SIGKILL, which leaves the folder behind until the next start removes it.
 *
 * Environment: GLEWLWYD_PORT, GLEWLWYD_APP_URL, GLEWLWYD_API_AUDIENCE (settings.ts),
 * GLEWLWYD_ACCESS_TOKEN_TTL (seconds, default 600), GLEWLWYD_LOG_LEVEL (NONE, ERROR, WARNING
 * (default), INFO, DEBUG: Glewlwyd's own log, on stderr).
 *
 * Glewlwyd's login web app, for browser tests: the login form is `#username`, `#password` and
 * `#loginbut` ("OK"); then, consent being given in advance, a page with a "Continue" button
 * (`button.btn-success`), also shown on later sign-ins while the Glewlwyd session lasts. The
 * end-session page has a red "Logout" button (`button.btn-danger`) and "Stay connected".
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import {
  accessSync,
  constants,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { gunzipSync } from 'node:zlib';
import {
  GLEWLWYD_ADMIN,
  GLEWLWYD_API_AUDIENCE,
  GLEWLWYD_CLIENT_ID,
  GLEWLWYD_CLIENT_SECRET,
  GLEWLWYD_DISCOVERY_URL,
  GLEWLWYD_ISSUER,
  GLEWLWYD_PORT,
  GLEWLWYD_POST_LOGOUT_REDIRECT_URI,
  GLEWLWYD_REDIRECT_URI,
  GLEWLWYD_SCOPES,
  GLEWLWYD_TOKEN_ENDPOINT_AUTH_METHOD,
  GLEWLWYD_URL,
  GLEWLWYD_USERS,
} from './settings.ts';

/** The API scopes: a `resource` of GLEWLWYD_API_AUDIENCE is allowed with either of them. */
const API_SCOPES = ['notes:read', 'notes:write'];
/** Talk to Glewlwyd on the address it binds; `localhost` resolves to it too. */
const DIRECT_URL = `http://127.0.0.1:${GLEWLWYD_PORT}`;
const START_TIMEOUT_MS = 20_000;
/** Each run's folder in os.tmpdir(); it holds everything the instance writes. */
const DIR_PREFIX = 'glewlwyd-e2e-';

// ---------------------------------------------------------------------------------------------
// The instance's state, and how it ends: on a signal, when Glewlwyd dies, or on any failure.

const instance: { dir?: string; process?: ChildProcess; stopping: boolean } = { stopping: false };

const running = (child?: ChildProcess): child is ChildProcess =>
  !!child && child.exitCode === null && child.signalCode === null;

/** Synchronous, so it also runs from process.on('exit'). */
function cleanUp() {
  if (running(instance.process)) instance.process.kill('SIGKILL');
  if (instance.dir) rmSync(instance.dir, { recursive: true, force: true });
  instance.dir = undefined;
}
process.on('exit', cleanUp);

function fail(message: string): never {
  console.error(`glewlwyd: ${message}`);
  cleanUp();
  process.exit(1);
}

function shutdown() {
  if (instance.stopping) return;
  instance.stopping = true;
  const child = instance.process;
  if (!running(child)) process.exit(0);
  child.once('exit', () => process.exit(0));
  child.kill('SIGTERM');
  setTimeout(() => process.exit(0), 3_000).unref(); // cleanUp() then kills it for good
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    fail(`${name} must be a positive integer (seconds), not ${JSON.stringify(raw)}`);
  return value;
}
const ACCESS_TOKEN_TTL_S = positiveInteger('GLEWLWYD_ACCESS_TOKEN_TTL', 600);
const LOG_LEVEL = (process.env.GLEWLWYD_LOG_LEVEL ?? 'WARNING').toUpperCase();

// ---------------------------------------------------------------------------------------------
// What Debian installed.

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

/** /usr/bin first, then PATH. */
function findExecutable(name: string): string | undefined {
  return ['/usr/bin', ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)]
    .map((dir) => join(dir, name))
    .find((path) => {
      try {
        accessSync(path, constants.X_OK);
        return isFile(path);
      } catch {
        return false;
      }
    });
}

const binary = findExecutable('glewlwyd');
if (!binary)
  fail('the glewlwyd binary was not found (on Debian or Ubuntu: apt-get install -y glewlwyd)');

const prefix = dirname(dirname(binary)); // /usr
const firstExisting = (paths: string[]) => paths.find((p) => existsSync(p));
const moduleRoot = firstExisting([
  join(prefix, 'lib/glewlwyd'),
  '/usr/lib/glewlwyd',
  '/usr/local/lib/glewlwyd',
]);
const webappRoot = firstExisting([
  join(prefix, 'share/glewlwyd/webapp'),
  '/usr/share/glewlwyd/webapp',
]);
const schemaFile = firstExisting([
  '/usr/share/dbconfig-common/data/glewlwyd/install/sqlite3',
  '/usr/share/doc/glewlwyd/database/init.sqlite3.sql.gz',
  join(prefix, 'share/doc/glewlwyd/database/init.sqlite3.sql.gz'),
]);
if (!moduleRoot || !webappRoot || !schemaFile) {
  fail(
    `incomplete glewlwyd install (modules: ${moduleRoot ?? 'missing'}, web app: ${webappRoot ?? 'missing'}, sqlite schema: ${schemaFile ?? 'missing'}); reinstall with apt-get install -y glewlwyd`,
  );
}

// ---------------------------------------------------------------------------------------------
// The throwaway instance: everything below lives in one temporary folder and goes with it.

// A run killed with SIGKILL (Playwright's webServer default) leaves its folder behind: remove
// the folders of earlier runs whose owner process is gone.
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(DIR_PREFIX))) {
  const stale = join(tmpdir(), name);
  let owner = NaN;
  try {
    owner = Number(readFileSync(join(stale, 'owner.pid'), 'utf8'));
  } catch {
    // no pid file: a run killed while it was being created
  }
  if (!Number.isInteger(owner) || !alive(owner)) rmSync(stale, { recursive: true, force: true });
}

// Fail early and clearly when the port is taken (Glewlwyd itself only logs "Address already in use").
await new Promise<void>((resolve) => {
  const probe = createNetServer();
  probe.once('error', (err: NodeJS.ErrnoException) =>
    fail(
      err.code === 'EADDRINUSE'
        ? `port ${GLEWLWYD_PORT} is already in use: is another Glewlwyd running?`
        : `cannot listen on port ${GLEWLWYD_PORT}: ${err.message}`,
    ),
  );
  probe.listen(GLEWLWYD_PORT, '127.0.0.1', () => probe.close(() => resolve()));
});

const dir = (instance.dir = mkdtempSync(join(tmpdir(), DIR_PREFIX)));
writeFileSync(join(dir, 'owner.pid'), String(process.pid));
const databaseFile = join(dir, 'glewlwyd.db');
const configFile = join(dir, 'glewlwyd.conf');
const webappDir = join(dir, 'webapp');

// The database, from Debian's schema (it inserts the admin user, admin/password). In one
// transaction: statement by statement, each one is synced to disk and loading takes over a second.
// WAL (a property of the file) also makes Glewlwyd's own writes cheaper.
const schemaSql = schemaFile.endsWith('.gz')
  ? gunzipSync(readFileSync(schemaFile)).toString('utf8')
  : readFileSync(schemaFile, 'utf8');
const schema = `PRAGMA journal_mode=WAL;\nBEGIN;\n${schemaSql}\nCOMMIT;\n`;
const sqlite3 = findExecutable('sqlite3');
if (sqlite3) {
  const result = spawnSync(sqlite3, ['-bail', databaseFile], { input: schema, encoding: 'utf8' });
  if (result.status !== 0)
    fail(`sqlite3 could not load the schema: ${result.stderr || result.error?.message}`);
} else {
  // No sqlite3 CLI: Node's own SQLite (Node 22.5+).
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(databaseFile);
  db.exec(schema);
  db.close();
}

// The login web app. Glewlwyd serves static files only from inside static_files_path (it
// compares realpaths), and Debian's copy is made of symlinks to /usr/share/nodejs and
// /usr/share/fonts-*, so it is copied with the links resolved. Quirk: Debian's
// webapp/config.json links to /etc/glewlwyd/config-2.7.json, which is a folder holding the real
// config.json; it is written here from that file (or a minimal one).
cpSync(webappRoot, webappDir, {
  recursive: true,
  dereference: true,
  filter: (src) => src !== join(webappRoot, 'config.json'),
});
const frontEndConfig = [
  '/etc/glewlwyd/config-2.7.json/config.json',
  join(webappRoot, 'config.json'),
].find(isFile);
writeFileSync(
  join(webappDir, 'config.json'),
  frontEndConfig
    ? readFileSync(frontEndConfig)
    : JSON.stringify({
        GlewlwydUrl: './',
        ProfileUrl: 'profile.html',
        AdminUrl: 'index.html',
        LoginUrl: 'login.html',
        CallbackPage: 'callback.html',
        lang: ['en'],
      }),
);

// The signing key: RSA 2048, PEM, new on every start.
const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

// The config file (libconfig syntax). bind_address takes an IPv4 address only. Quirk: any
// use_secure_connection line, even `false`, makes Glewlwyd demand TLS key files; there is none.
const mimeTypes: [string, string][] = [
  ['.html', 'text/html'],
  ['.css', 'text/css'],
  ['.js', 'application/javascript'],
  ['.json', 'application/json'],
  ['.png', 'image/png'],
  ['.jpg', 'image/jpeg'],
  ['.ico', 'image/x-icon'],
  ['.svg', 'image/svg+xml'],
  ['.ttf', 'font/ttf'],
  ['.woff', 'font/woff'],
  ['.woff2', 'font/woff2'],
  ['.eot', 'application/vnd.ms-fontobject'],
  ['.map', 'application/octet-stream'],
];
writeFileSync(
  configFile,
  `port=${GLEWLWYD_PORT}
bind_address="127.0.0.1"
external_url="${GLEWLWYD_URL}"
login_url="login.html"
api_prefix="api"
static_files_path="${webappDir}"
allow_origin="*"
log_mode="console"
log_level="${LOG_LEVEL}"
cookie_secure=0
cookie_same_site="empty"
session_expiration=86400
session_key="GLEWLWYD2_SESSION_ID"
admin_session_authentication="cookie"
profile_session_authentication="cookie"
allow_multiple_user_per_session=true
login_api_enabled=true
plugin_api_run_enabled=""
add_x_frame_option_header_deny=true
admin_scope="g_admin"
profile_scope="g_profile"
user_module_path="${join(moduleRoot, 'user')}"
client_module_path="${join(moduleRoot, 'client')}"
user_auth_scheme_module_path="${join(moduleRoot, 'scheme')}"
plugin_module_path="${join(moduleRoot, 'plugin')}"
hash_algorithm="SHA512"
database = { type = "sqlite3"; path = "${databaseFile}"; };
static_files_mime_types = (
${mimeTypes.map(([extension, type]) => `  { extension = "${extension}"; mime_type = "${type}"; compress = ${type.startsWith('image/') || type.startsWith('font/') ? 0 : 1}; }`).join(',\n')}
);
`,
);

// ---------------------------------------------------------------------------------------------
// Start it, and stop everything if it dies.

const glewlwyd = (instance.process = spawn(binary, ['--config-file', configFile], {
  stdio: ['ignore', 'pipe', 'pipe'],
}));
// Glewlwyd logs to stdout in console mode; both go to stderr here (Playwright pipes stderr),
// without the start-up warnings this setup causes on purpose (plain http, host-only cookies, no
// user middleware modules).
const EXPECTED_WARNINGS =
  /'cookie_domain' is not set|'cookie_secure' is set to false|user_middleware_module_path missing/;
for (const input of [glewlwyd.stdout, glewlwyd.stderr]) {
  createInterface({ input }).on('line', (line) => {
    if (!EXPECTED_WARNINGS.test(line)) process.stderr.write(`${line}\n`);
  });
}
glewlwyd.on('error', (err) => fail(`could not start ${binary}: ${err.message}`));
glewlwyd.on('exit', (code, signal) => {
  // Ctrl-C, or a signal to the whole process group (Playwright's gracefulShutdown), reaches
  // Glewlwyd too, possibly before our own handler has run: give that handler a moment.
  setTimeout(() => {
    if (!instance.stopping) fail(`glewlwyd exited (${signal ?? `code ${code}`})`);
  }, 250);
});

async function waitForGlewlwyd() {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      if ((await fetch(`${DIRECT_URL}/config`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      fail(`glewlwyd did not answer on ${DIRECT_URL} within ${START_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
await waitForGlewlwyd();

// ---------------------------------------------------------------------------------------------
// Configure it through the admin REST API, as the admin user of the fresh database.

let adminCookie = '';

async function api(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${DIRECT_URL}/api${path}`, {
    method,
    headers: {
      cookie: adminCookie,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) fail(`admin API ${method} /api${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function logInAsAdmin() {
  const response = await fetch(`${DIRECT_URL}/api/auth/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(GLEWLWYD_ADMIN),
  });
  const session = response.headers
    .getSetCookie()
    .find((c) => c.startsWith('GLEWLWYD2_SESSION_ID='));
  if (!response.ok || !session)
    fail(`admin login failed: ${response.status} ${await response.text()}`);
  adminCookie = session.split(';')[0]!;
}

interface ModuleInstance {
  parameters: { 'data-format'?: Record<string, Record<string, unknown>> } & Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * The database backends store only the properties their `data-format` lists; anything else
 * is silently dropped. Updating an instance does not reload it: `reset` does.
 */
async function addProperties(
  kind: 'user' | 'client',
  properties: Record<string, Record<string, unknown>>,
) {
  const instance = (await api('GET', `/mod/${kind}/database`)) as ModuleInstance;
  instance.parameters['data-format'] = { ...instance.parameters['data-format'], ...properties };
  await api('PUT', `/mod/${kind}/database`, instance);
  await api('PUT', `/mod/${kind}/database/reset`);
}

await logInAsAdmin();

// Users get a `roles` property, which the OIDC plugin copies into access tokens as a string. It is
// single-valued and space-separated: the plugin would join a multi-valued one with commas.
await addProperties('user', {
  roles: {
    multiple: false,
    read: true,
    write: true,
    'profile-read': false,
    'profile-write': false,
  },
});
// Quirk: the OIDC plugin reads a client's post-logout redirect URIs from `post_logout_redirect_uris`
// (an array), but Debian's schema declares only `post_logout_redirect_uri` (single).
await addProperties('client', {
  post_logout_redirect_uris: { multiple: true, read: true, write: true },
});

// Scopes: each one needs the user's password (no other scheme). The schema's `openid` does not
// require it, so it is updated like the others.
const scopeDescriptions: Record<string, string> = {
  openid: 'OpenID Connect',
  profile: 'Your name',
  email: 'Your e-mail address',
  'notes:read': 'Read your notes',
  'notes:write': 'Write your notes',
};
const existingScopes = ((await api('GET', '/scope/?limit=1000')) as { name: string }[]).map(
  (s) => s.name,
);
for (const name of GLEWLWYD_SCOPES) {
  const scope = {
    name,
    display_name: name,
    description: scopeDescriptions[name] ?? name,
    password_required: true,
    password_max_age: 0,
    scheme: {},
  };
  if (existingScopes.includes(name)) await api('PUT', `/scope/${encodeURIComponent(name)}`, scope);
  else await api('POST', '/scope/', scope);
}

for (const user of Object.values(GLEWLWYD_USERS)) {
  await api('POST', '/user/', {
    username: user.username,
    password: user.password,
    name: user.name,
    email: user.email,
    enabled: true,
    scope: [...GLEWLWYD_SCOPES],
    ...(user.roles.length > 0 ? { roles: user.roles.join(' ') } : {}),
  });
}

// The confidential client. `client_secret` is compared as is (a `password` would be hashed);
// `scope` lists the client's own scopes (client credentials grant): none.
await api('POST', '/client/', {
  client_id: GLEWLWYD_CLIENT_ID,
  name: 'next-oidc-reference (e2e)',
  description: 'The Next.js reference app, signing in at a throwaway Glewlwyd',
  enabled: true,
  confidential: true,
  client_secret: GLEWLWYD_CLIENT_SECRET,
  token_endpoint_auth_method: [GLEWLWYD_TOKEN_ENDPOINT_AUTH_METHOD],
  redirect_uri: [GLEWLWYD_REDIRECT_URI],
  post_logout_redirect_uris: [GLEWLWYD_POST_LOGOUT_REDIRECT_URI],
  authorization_type: ['code', 'refresh_token'],
  scope: [],
});

// Consent, given in advance for each user (by delegation: the admin acts for the user). Quirk: the
// list is space-separated (API.md says comma). Without it, the login page's consent step grants
// only `openid` unless the user ticks each scope and presses "Grant access", and a `resource`
// request then fails with invalid_target.
for (const user of Object.values(GLEWLWYD_USERS)) {
  await api('PUT', `/delegate/${user.username}/auth/grant/${GLEWLWYD_CLIENT_ID}`, {
    scope: GLEWLWYD_SCOPES.join(' '),
  });
}

// Last, the OIDC plugin instance: its discovery document appears now, with everything in place.
await api('POST', '/mod/plugin/', {
  module: 'oidc',
  name: 'oidc',
  display_name: 'OpenID Connect',
  enabled: true,
  parameters: {
    // Glewlwyd publishes `iss` exactly as given; its endpoints are <external_url>/api/<name>/….
    iss: GLEWLWYD_ISSUER,
    'subject-type': 'public',
    // RS256 with the generated key: jwt-type rsa, key size 256 (the SHA size, not the RSA size).
    'jwt-type': 'rsa',
    'jwt-key-size': '256',
    key: privateKey,
    cert: publicKey,
    'jwks-show': true,
    'access-token-duration': ACCESS_TOKEN_TTL_S,
    'refresh-token-duration': 14 * 24 * 60 * 60,
    'code-duration': 600,
    // Rolling: each use restarts the refresh token's lifetime. One-use `always`: each use returns
    // a new refresh token and disables the old one (rotation); reusing an old one breaks the chain.
    'refresh-token-rolling': true,
    'refresh-token-one-use': 'always',
    'allow-non-oidc': false,
    'auth-type-code-enabled': true,
    // A replayed code revokes the tokens it issued (RFC 6749 §4.1.2).
    'auth-type-code-revoke-replayed': true,
    'auth-type-token-enabled': false,
    'auth-type-id-token-enabled': true, // cannot be disabled
    'auth-type-none-enabled': false,
    'auth-type-password-enabled': false,
    'auth-type-client-enabled': false,
    'auth-type-device-enabled': false,
    'auth-type-refresh-enabled': true,
    // PKCE S256 only, required for every client.
    'pkce-allowed': true,
    'pkce-method-plain-allowed': false,
    'pkce-required': true,
    // RFC 9207: `iss` in the authorization response (discovery does not advertise it).
    'oauth-as-iss-id': true,
    // RFC 8707: a `resource` is allowed when one of the requested scopes maps to it; the access
    // token's `aud` is then the resource (without one, Glewlwyd puts the scope list in `aud`).
    'resource-allowed': true,
    'resource-scope': Object.fromEntries(
      API_SCOPES.map((scope) => [scope, [GLEWLWYD_API_AUDIENCE]]),
    ),
    'resource-client-property': '',
    'resource-scope-and-client-property': false,
    // RP-initiated logout: end_session_endpoint (and check_session_iframe). Quirk: the end-session
    // page's "Logout" button does nothing ("Error in Glewlwyd API") unless front-channel logout is
    // allowed, even for a client without a frontchannel_logout_uri (none is registered here).
    'session-management-allowed': true,
    'session-cookie-name': 'GLEWLWYD2_OIDC_SID',
    'session-cookie-expiration': 86400,
    'front-channel-logout-allowed': true,
    'back-channel-logout-allowed': false,
    // Revocation and introspection, with the client's own credentials.
    'introspection-revocation-allowed': true,
    'introspection-revocation-allow-target-client': true,
    'introspection-revocation-auth-scope': [],
    // Claims: name with `profile`, email with `email`. Access tokens get the user's `roles` property
    // as a claim of the same name (absent when the user has none).
    'name-claim': 'on-demand',
    'name-claim-scope': ['profile'],
    'email-claim': 'on-demand',
    'email-claim-scope': ['email'],
    'scope-claim': 'no',
    'address-claim': { type: 'no' },
    claims: [],
    'additional-parameters': [{ 'user-parameter': 'roles', 'token-parameter': 'roles' }],
    'allowed-scope': [...GLEWLWYD_SCOPES],
    scope: [],
    // No request objects, no registration, no PAR, DPoP, RAR, CIBA, encryption.
    'request-parameter-allow': false,
    'register-client-allowed': false,
    'encrypt-out-token-allow': false,
    'oauth-dpop-allowed': false,
    'oauth-rar-allowed': false,
    'oauth-par-allowed': false,
    'oauth-ciba-allowed': false,
    'service-documentation': '',
  },
});

// Discovery must name exactly the issuer the app is configured with.
const discoveryResponse = await fetch(GLEWLWYD_DISCOVERY_URL);
if (!discoveryResponse.ok)
  fail(`discovery answered ${discoveryResponse.status} at ${GLEWLWYD_DISCOVERY_URL}`);
const discovery = (await discoveryResponse.json()) as { issuer?: string };
if (discovery.issuer !== GLEWLWYD_ISSUER)
  fail(`discovery says issuer ${JSON.stringify(discovery.issuer)}, expected ${GLEWLWYD_ISSUER}`);

console.log(`glewlwyd ready on ${GLEWLWYD_ISSUER}`);
