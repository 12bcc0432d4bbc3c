/**
 * Helpers of the HTTP fuzzing suites of this folder (./*.spec.ts): `send()`, which writes one
 * request byte for byte on its own TCP socket (so any byte reaches the server, not what an HTTP
 * client library agrees to send) and reads the status line, used by all of them; and the seeded
 * generator of random raw requests to the resource server (`/api/...`), the BFF (`/bff/notes`)
 * and the login callback (`/auth/callback`), built from the real tokens and session cookie of a
 * real sign-in (`Material`), used by ./random-requests.spec.ts. Not a spec file.
 */
import net from 'node:net';
import { LOCAL_IDP } from '../../lib/config';
import { APP_URL, IDP_URL, SESSION_COOKIE } from '../env';

const SOCKET_TIMEOUT_MS = 15_000;

/** sfc32, seeded through splitmix32: small, fast, and the same sequence for the same seed. */
export function prng(seed: number) {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  /** Picks by weight: [[weight, value], ...]. */
  const weighted = <T>(items: ReadonlyArray<readonly [number, T]>): T => {
    let r = next() * items.reduce((sum, [w]) => sum + w, 0);
    for (const [w, v] of items) if ((r -= w) < 0) return v;
    return items[items.length - 1]![1];
  };
  const chance = (p: number) => next() < p;
  /** `n` characters drawn from `alphabet`. */
  const chars = (alphabet: string, n: number) =>
    Array.from({ length: n }, () => alphabet[int(alphabet.length)]).join('');
  /**
   * `n` bytes from lo..hi, as a latin1 string (one char per byte). DEL (0x7F) only when asked:
   * in a header Node's parser refuses it, so the request would never reach the app.
   */
  const bytes = (n: number, lo = 0x21, hi = 0xff, del = false) =>
    String.fromCharCode(
      ...Array.from({ length: n }, () => {
        const b = lo + int(hi - lo + 1);
        return b === 0x7f && !del ? 0x80 + int(0x80) : b;
      }),
    );
  /** Small lengths are likelier than large ones. */
  const length = (max: number) => Math.floor(max ** next());
  return { next, int, pick, weighted, chance, chars, bytes, length };
}
export type Rng = ReturnType<typeof prng>;

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64TOKEN = `${B64URL}.~+/`;
/** Printable ASCII without space: tchar, separators, quotes, percent signs. */
const VISIBLE = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) =>
  String.fromCharCode(0x21 + i),
).join('');
const b64u = (value: string | object) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

export interface Material {
  /** alice's real access token and ID token from a real sign-in, a machine JWT, an opaque token. */
  accessToken: string;
  idToken: string;
  machineToken: string;
  opaqueToken: string;
  /** alice's real sealed session cookie. */
  sessionCookie: string;
  kid: string;
}

function randomJson(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 2 ? 5 : 7)) {
    case 0:
      return r.chars(VISIBLE + ' é€', r.length(40));
    case 1:
      return r.int(2) ? r.int(1e6) - 5e5 : r.next() * 1e20;
    case 2:
      return r.pick([true, false, null]);
    case 3:
      return r.bytes(r.length(20), 0x20, 0xff);
    case 4:
      return '';
    case 5:
      return Array.from({ length: r.length(5) }, () => randomJson(r, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: r.length(6) }, () => [
          r.pick([
            'text',
            'sub',
            'note',
            '__proto__',
            'constructor',
            'access_token',
            r.chars(B64URL, 1 + r.int(8)),
          ]),
          randomJson(r, depth + 1),
        ]),
      );
  }
}

/** A JWT-shaped string: three base64url segments, from plausible to absurd. */
function randomJwt(r: Rng, m: Material): string {
  const header = r.weighted<object | string>([
    [
      3,
      {
        alg: r.pick(['RS256', 'PS256', 'ES256', 'HS256', 'none', 'None', 'EdDSA', 'RS1', '']),
        typ: r.pick(['at+jwt', 'JWT', 'application/at+jwt', 'jwt', undefined]),
        kid: r.pick([m.kid, r.chars(B64URL, 12), undefined]),
      },
    ],
    [
      1,
      {
        alg: 'RS256',
        typ: 'at+jwt',
        kid: m.kid,
        crit: [r.pick(['b64', 'exp', r.chars(B64URL, 5)])],
        [r.pick(['b64', 'jku', 'x5u', 'jwk'])]: r.pick([
          false,
          'http://localhost:4000/jwks',
          { kty: 'oct', k: 'AA' },
        ]),
      },
    ],
    [1, randomJson(r) as object],
    [1, r.bytes(r.length(40), 0x20, 0xff)],
  ]);
  const now = Math.floor(Date.now() / 1000);
  const payload = r.weighted<object | string>([
    [
      3,
      {
        iss: r.pick([IDP_URL, `${IDP_URL}/`, 'http://evil.example', undefined]),
        aud: r.pick([
          'http://localhost:3000/api',
          ['http://localhost:3000/api', 'x'],
          LOCAL_IDP.clientId,
          undefined,
        ]),
        sub: r.pick(['alice', 'bob', LOCAL_IDP.machineClientId, '', undefined]),
        client_id: r.pick([LOCAL_IDP.clientId, LOCAL_IDP.machineClientId, 7, undefined]),
        scope: r.pick(['notes:read notes:write', 'stats:read', '', ['notes:read'], undefined]),
        exp: r.pick([now + 300, now - 300, 'soon', 1e20, undefined]),
        iat: r.pick([now, now + 3600, now - 3 * 86400, -1, undefined]),
        nbf: r.pick([now + 3600, undefined]),
      },
    ],
    [1, randomJson(r) as object],
    [1, r.bytes(r.length(60), 0x20, 0xff)],
  ]);
  const signature = r.weighted([
    [3, r.chars(B64URL, r.length(400))],
    [1, m.accessToken.split('.')[2]!],
    [1, ''],
  ]);
  return `${b64u(header)}.${b64u(payload)}.${signature}`;
}

/** A small change to a real token: one bit of damage, or a classic forgery. */
function mutate(r: Rng, token: string): string {
  const [h = '', p = '', s = ''] = token.split('.');
  const at = r.int(token.length);
  switch (r.int(14)) {
    case 0:
      return token; // unchanged: the valid case must keep working under load
    case 1:
      return token.slice(0, at) + r.pick([...B64URL]) + token.slice(at + 1);
    case 2:
      return token.slice(0, at);
    case 3:
      return token.slice(0, at) + token.slice(at + 1 + r.int(10));
    case 4:
      return token.slice(0, at) + r.bytes(1 + r.int(3)) + token.slice(at);
    case 5:
      return `${h}.${p}.`;
    case 6:
      return `${b64u({ alg: 'none', typ: 'at+jwt' })}.${p}.`;
    case 7: {
      let claims: object = {};
      try {
        claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as object; // not every token is a JWT
      } catch {}
      return `${h}.${b64u({ ...claims, sub: r.pick(['bob', LOCAL_IDP.machineClientId]), scope: 'notes:read notes:write stats:read metrics:read' })}.${s}`;
    }
    case 8:
      return `${p}.${h}.${s}`;
    case 9:
      return `${token}${r.pick(['=', '==', '.', '..', '~', '+', '/', ',', ';'])}`;
    case 10:
      return `${h}.${p}.${s}.${s}`;
    case 11:
      return token.toUpperCase();
    case 12:
      return encodeURIComponent(token).replaceAll('.', '%2E');
    default:
      return `${token} ${token}`;
  }
}

function randomAuthorization(r: Rng, m: Material): string[] {
  const real = () =>
    r.pick([m.accessToken, m.accessToken, m.idToken, m.machineToken, m.opaqueToken]);
  const scheme = () =>
    r.weighted([
      [6, 'Bearer'],
      [
        1,
        r.pick([
          'bearer',
          'BEARER',
          'BeArEr',
          'Basic',
          'DPoP',
          'Token',
          'MAC',
          'Negotiate',
          'Digest',
          'Bearer:',
          'Bearer\t',
        ]),
      ],
      [1, r.chars(VISIBLE, 1 + r.int(12))],
    ]);
  const credential = (): string =>
    r.weighted<() => string>([
      [2, () => real()], // valid: the handlers get random queries and bodies
      [4, () => mutate(r, real())],
      [2, () => randomJwt(r, m)],
      [2, () => r.chars(B64TOKEN, r.length(200)) + '='.repeat(r.int(3))], // b64token
      [1, () => r.chars(B64URL, 43)], // opaque-looking: introspected
      [2, () => r.bytes(r.length(300))], // raw 0x21-0xFF (no DEL), not UTF-8: reaches the app
      [0.3, () => r.bytes(r.length(300), 0x21, 0xff, true)], // with DEL: Node's parser answers
      [1, () => r.chars(VISIBLE, r.length(100))],
      [1, () => 'a'.repeat(r.pick([8 * 1024 - 1, 8 * 1024 + 17, 9000, 15_000]))], // around MAX_TOKEN_BYTES
      [1, () => ''],
    ])();
  return r.weighted<() => string[]>([
    [2, () => []],
    [14, () => [`${scheme()} ${credential()}`]],
    [1, () => [`${scheme()}`]],
    [
      1,
      () => [`${scheme()} ${credential()}${r.pick([', ', ',', ' '])}${scheme()} ${credential()}`],
    ],
    [1, () => [`${scheme()} ${credential()}`, `${scheme()} ${credential()}`]], // two headers
    [1, () => [r.bytes(r.length(200))]],
  ])();
}

/** A random query string: parameters, percent-encodings (valid or not), raw bytes. */
function randomQuery(r: Rng, m: Material, path: string): string {
  if (r.chance(0.3)) return '';
  const value = () =>
    r.weighted<() => string>([
      [4, () => encodeURIComponent(r.chars(VISIBLE + ' é', r.length(30)))],
      [2, () => r.chars(B64URL, r.length(60))],
      [1, () => r.chars('%0123456789abcdefgzZ', r.length(20))], // broken percent-encoding
      [0.3, () => r.bytes(r.length(30), 0x21, 0xff, true).replaceAll('#', '%23')], // raw bytes: Node's parser refuses >= 0x7F in the target
      [1, () => encodeURIComponent(mutate(r, m.accessToken))],
      [1, () => ''],
    ])();
  const names =
    path === '/auth/callback'
      ? ['code', 'state', 'iss', 'error', 'error_description', 'session_state', 'returnTo']
      : ['access_token', 'id', 'limit', 'sub', 'scope'];
  const params = Array.from({ length: 1 + r.length(8) }, () =>
    r.weighted<() => string>([
      [4, () => `${r.pick(names)}=${value()}`],
      [2, () => `${r.chars(B64URL + '[]%.', 1 + r.int(10))}=${value()}`],
      [1, () => r.pick(names)],
      [1, () => value()],
    ])(),
  );
  return `?${params.join(r.pick(['&', '&', '&', ';', '&&']))}`;
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded',
  'APPLICATION/X-WWW-FORM-URLENCODED; charset=latin1',
  'text/plain',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'application/json; charset=utf-16',
  '*/*',
  '',
];

function randomBody(r: Rng, m: Material, type: string): Buffer {
  return r.weighted<() => Buffer>([
    [
      4,
      () => Buffer.from(JSON.stringify({ text: r.chars(VISIBLE + ' éü€😀', 1 + r.length(600)) })),
    ],
    [2, () => Buffer.from(JSON.stringify(randomJson(r)))],
    [
      2,
      () =>
        Buffer.from(
          type.toLowerCase().startsWith('application/x-www') || r.chance(0.5)
            ? `access_token=${encodeURIComponent(mutate(r, m.accessToken))}&text=x`
            : `text=${r.chars(VISIBLE, r.length(50))}`,
        ),
    ],
    [
      1,
      () =>
        Buffer.from(
          `--xyz\r\nContent-Disposition: form-data; name="access_token"\r\n\r\n${m.accessToken}\r\n--xyz--\r\n`,
        ),
    ],
    [2, () => Buffer.from(r.bytes(r.length(3000), 0x00, 0xff), 'latin1')],
    [1, () => Buffer.from(`{"text": "${r.chars(VISIBLE, r.length(40))}`)], // truncated JSON
    [1, () => Buffer.alloc(0)],
  ])();
}

interface Target {
  method: string;
  path: string;
}
const TARGETS: ReadonlyArray<readonly [number, (r: Rng) => Target]> = [
  [20, () => ({ method: 'GET', path: '/api/notes' })],
  [20, () => ({ method: 'POST', path: '/api/notes' })],
  [15, () => ({ method: 'GET', path: '/api/me' })],
  [15, () => ({ method: 'GET', path: '/api/stats' })],
  [3, () => ({ method: 'GET', path: '/api/metrics' })],
  // Well-formed percent-encoding only in the dynamic segment: a malformed one is a framework 500
  // (see ./malformed-path.spec.ts), before any app code runs.
  [
    3,
    (r) => ({
      method: 'GET',
      path: `/api/notes/${r.pick([r.chars('0123456789abcdef-', 36), encodeURIComponent(r.chars(VISIBLE + ' é', r.length(80)))])}`,
    }),
  ],
  [5, () => ({ method: 'GET', path: '/bff/notes' })],
  [5, () => ({ method: 'POST', path: '/bff/notes' })],
  [10, () => ({ method: 'GET', path: '/auth/callback' })],
];

export function randomRequest(r: Rng, m: Material): Buffer {
  let { method, path } = r.weighted(TARGETS)(r);
  // Not TRACE: a framework 500 before any app code runs (see "known Next.js behaviour" in
  // ./known-nextjs.spec.ts).
  if (r.chance(0.03)) method = r.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'get', 'FOO']);
  if (r.chance(0.02))
    path = r.pick([
      `${path}/`,
      `${path}/..`,
      `${path}%00`,
      `${path}/%2e%2e/me`,
      path.toUpperCase(),
      `//${path}`,
    ]);
  const headers: string[] = [`Host: ${new URL(APP_URL).host}`];
  for (const value of randomAuthorization(r, m))
    headers.push(`${r.pick(['Authorization', 'authorization', 'AUTHORIZATION'])}: ${value}`);

  const bff = path.startsWith('/bff');
  if (bff ? r.chance(0.8) : r.chance(0.1))
    headers.push(`x-bff-request: ${r.pick(['1', '1', '1', '0', 'true', r.bytes(4)])}`);
  if (bff ? r.chance(0.8) : r.chance(0.1))
    headers.push(
      `Origin: ${r.pick([APP_URL, APP_URL, 'http://evil.example', 'null', r.bytes(10)])}`,
    );
  if (r.chance(0.05))
    headers.push(`Sec-Fetch-Site: ${r.pick(['same-origin', 'cross-site', 'none'])}`);
  // The real session cookie, often where it matters (the BFF uses it; /api must ignore it).
  if (r.chance(bff ? 0.6 : 0.15)) {
    headers.push(
      `Cookie: ${r.weighted([
        [4, `${SESSION_COOKIE}=${m.sessionCookie}`],
        [1, `${SESSION_COOKIE}=${mutate(r, m.sessionCookie)}`],
        [1, `${SESSION_COOKIE}=${r.bytes(r.length(200))}`],
        [1, r.bytes(r.length(200))],
        [
          1,
          `oidc_tx_${r.chars(B64URL, 10)}=${r.chars(B64URL, 50)}; ${SESSION_COOKIE}=${m.sessionCookie}`,
        ],
      ])}`,
    );
  }
  if (r.chance(0.1))
    headers.push(`Accept: ${r.pick(['application/json', 'text/html', '*/*', r.bytes(20)])}`);

  let body: Buffer = Buffer.alloc(0);
  if (method !== 'GET' || r.chance(0.05)) {
    const type = r.pick(CONTENT_TYPES);
    if (type) headers.push(`Content-Type: ${type}`);
    body = randomBody(r, m, type);
    headers.push(`Content-Length: ${body.length}`);
  }
  if (r.chance(0.05))
    headers.push(`X-${r.chars(B64URL, 1 + r.int(10))}: ${r.bytes(r.length(100))}`);
  headers.push('Connection: close');

  const head = `${method} ${path}${randomQuery(r, m, path)} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

export type Outcome =
  { status: number; parser: boolean; response: string } | { error: string; response: string };

/** One request on its own socket; the status line and whether Node's parser wrote the answer. */
export function send(request: Buffer): Promise<Outcome> {
  const { hostname, port } = new URL(APP_URL);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3}) /.exec(text);
      if (!status)
        return resolve({ error: error ?? 'no status line', response: text.slice(0, 1000) });
      const head = text.slice(0, Math.max(0, text.indexOf('\r\n\r\n')));
      // Node's own "400 Bad Request" (http.Server on a parser error): no header but Connection.
      const parser = head.split('\r\n').length <= 2 && /^connection: close$/im.test(head);
      resolve({ status: Number(status[1]), parser, response: text.slice(0, 1000) });
    };
    socket.setTimeout(SOCKET_TIMEOUT_MS, () => finish('timeout'));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => finish());
    socket.on('close', () => finish('closed'));
    // A reset after the answer arrived (the server closed with our bytes unread) still counts.
    socket.on('error', (err: NodeJS.ErrnoException) => finish(err.code ?? err.message));
    socket.write(request);
  });
}
