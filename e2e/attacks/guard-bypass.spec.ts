/**
 * Attempts to reach the dashboard past the Edge guard without a session (the CVE-2025-29927
 * class): x-middleware-subrequest, case, trailing slashes, encoded slashes and dots, `..` through
 * other prefixes, semicolons, NUL, Next's data and RSC requests, x-matched-path. Each is sent
 * three ways against the production build: written byte for byte on a raw socket, by an HTTP
 * client without redirects, and following redirects within the app. None may render the dashboard,
 * or get a 5xx.
 */
import net from 'node:net';
import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { APP_URL, IDP_URL } from '../env';
import { APP } from './helpers';

/** Text only the dashboard renders (the ID-token claims table). */
const DASHBOARD_MARKERS = ['Who you are', 'id-token-claims'];

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** A minimal HTTP/1.1 response as read off a socket (chunked bodies decoded). */
interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(body.subarray(at, eol).toString('latin1'), 16);
    if (!size) break;
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/**
 * A GET written byte for byte on a TCP socket: the request target reaches the server exactly
 * as written (an HTTP client would normalise `/_next/../dashboard` or `/./dashboard`).
 */
function rawGet(target: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(APP.port), APP.hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(15_000, () => socket.destroy(new Error(`timeout: GET ${target}`)));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      const head = all
        .subarray(0, end < 0 ? all.length : end)
        .toString('latin1')
        .split('\r\n');
      const status = Number(head[0]?.split(' ')[1]);
      const fields: Record<string, string> = {};
      for (const line of head.slice(1)) {
        const colon = line.indexOf(':');
        fields[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const rawBody = end < 0 ? Buffer.alloc(0) : all.subarray(end + 4);
      const body = (
        fields['transfer-encoding'] === 'chunked' ? dechunk(rawBody) : rawBody
      ).toString('utf8');
      resolve({ status, headers: fields, body });
    });
    const extra = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(
      `GET ${target} HTTP/1.1\r\nHost: ${APP.host}\r\nConnection: close\r\n${extra}\r\n`,
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Guard bypass attempts
// ---------------------------------------------------------------------------------------------

interface Attempt {
  name: string;
  target: string;
  headers?: Record<string, string>;
}

const MIDDLEWARE_SUBREQUEST = [
  'middleware',
  'middleware:middleware:middleware:middleware:middleware',
  'src/middleware',
  'src/middleware:src/middleware:src/middleware:src/middleware:src/middleware',
  'pages/_middleware',
];

const BYPASS_ATTEMPTS: Attempt[] = [
  { name: 'control', target: '/dashboard' },
  ...MIDDLEWARE_SUBREQUEST.map((value) => ({
    name: `x-middleware-subrequest: ${value}`,
    target: '/dashboard',
    headers: { 'x-middleware-subrequest': value },
  })),
  ...[
    '/DASHBOARD',
    '/Dashboard',
    '/dashboard/',
    '/dashboard%2f',
    '/%2fdashboard',
    '/_next/../dashboard',
    '/_next/%2e%2e/dashboard',
    '/dashboard.',
    '/dashboard;',
    '/dashboard;a=b',
    '/dashboard%00',
    '/./dashboard',
    '//dashboard',
    '/dashboard?__nextDataReq=1',
    '/_next/data/x/dashboard.json',
    // Paths a guard that matches on prefixes could wave through, if the router then normalised them.
    '/api/../dashboard',
    '/auth/error/../../dashboard',
    '/bff/%2e%2e/dashboard',
    '/auth/..%2fdashboard',
    '/_next/static/../../dashboard',
    '/_next/static/%2e%2e/%2e%2e/dashboard',
    '/favicon.ico/../dashboard',
    '/dashboard.rsc',
  ].map((target) => ({ name: target, target })),
  {
    name: 'RSC + Next-Router-Prefetch',
    target: '/dashboard',
    headers: { RSC: '1', 'Next-Router-Prefetch': '1' },
  },
  { name: 'RSC', target: '/dashboard?_rsc=1', headers: { RSC: '1' } },
  { name: 'x-matched-path: /', target: '/dashboard', headers: { 'x-matched-path': '/' } },
];

/**
 * Follows redirects while they stay on the app (the IdP's sign-in page is not the app's
 * business, and is slow to render 30 times). Returns the last response and a summary.
 */
async function followWithinApp(
  api: APIRequestContext,
  target: string,
  headers: Record<string, string>,
): Promise<{ response: APIResponse; body: string; end: string }> {
  let url = `${APP_URL}${target}`;
  const hops: number[] = [];
  for (;;) {
    const response = await api.get(url, { headers, maxRedirects: 0 });
    const body = await response.text();
    hops.push(response.status());
    const location = response.headers().location;
    const next = location ? new URL(location, url) : undefined;
    if (!next || next.origin !== APP_URL || hops.length >= 10) {
      const path = new URL(url).pathname;
      const end = `${hops.join(' → ')} at ${path}${next && next.origin !== APP_URL ? ` → ${next.origin}${next.pathname}` : ''}`;
      return { response, body, end };
    }
    url = next.href;
  }
}

/** Statuses that keep the dashboard out of reach: a redirect (to sign in), a 400 or a 404. */
const REFUSALS = [307, 308, 400, 404];

test('guard bypass attempts without a session never reach the dashboard', async ({
  playwright,
}) => {
  const api = await playwright.request.newContext();
  const rows: string[] = [
    '| attempt | raw socket | HTTP client, no redirects | HTTP client, following redirects (statuses, where it ends) |',
    '|---|---|---|---|',
  ];
  const redirectOf = (headers: Record<string, string>) =>
    headers.location ?? headers['x-nextjs-redirect'];
  try {
    const results = await Promise.all(
      BYPASS_ATTEMPTS.map(async ({ name, target, headers = {} }) => {
        const [raw, direct, followed] = await Promise.all([
          rawGet(target, headers),
          api.get(`${APP_URL}${target}`, { headers, maxRedirects: 0 }),
          followWithinApp(api, target, headers),
        ]);
        return {
          name,
          raw,
          direct,
          directBody: await direct.text(),
          followed: followed.response,
          followedBody: followed.body,
          end: followed.end,
        };
      }),
    );
    for (const { name, raw, direct, end } of results) {
      const rawLocation = redirectOf(raw.headers);
      const directLocation = redirectOf(direct.headers());
      rows.push(
        `| \`${name}\` | ${raw.status}${rawLocation ? ` → ${rawLocation}` : ''} | ${direct.status()}${directLocation ? ` → ${directLocation}` : ''} | ${end} |`,
      );
    }
    for (const { name, raw, direct, directBody, followed, followedBody } of results) {
      for (const [how, status, body] of [
        ['raw', raw.status, raw.body],
        ['direct', direct.status(), directBody],
        ['followed', followed.status(), followedBody],
      ] as const) {
        for (const marker of DASHBOARD_MARKERS)
          expect(body, `${name} (${how}) must not render the dashboard`).not.toContain(marker);
        expect(status, `${name} (${how})`).toBeLessThan(500);
      }
      expect(REFUSALS, `${name} (raw): ${raw.status}`).toContain(raw.status);
      expect(REFUSALS, `${name} (no redirects): ${direct.status()}`).toContain(direct.status());
      // A redirect goes to sign in, or to a canonical form of the path that is itself guarded.
      for (const location of [redirectOf(raw.headers), redirectOf(direct.headers())]) {
        if (!location) continue;
        const to = new URL(location, APP_URL);
        expect(to.origin, `${name}: redirect target`).toBe(APP_URL);
        expect(
          ['/auth/login', '/dashboard', '/_next/data/x/auth/login.json'],
          `${name}: redirect to ${to.pathname}`,
        ).toContain(to.pathname);
      }
      // Followed through the app: it ends by sending the browser to the IdP to sign in, or with
      // no page at all (404, a prefetch's 204...); never a 200 of the app.
      expect(followed.status(), `${name}: ${followed.url()}`).not.toBe(200);
      if (followed.status() >= 300 && followed.status() < 400) {
        const to = redirectOf(followed.headers()) ?? '';
        expect(
          to.startsWith(`${IDP_URL}/auth?`) || to.startsWith('/_next/data/x/auth/login.json?'),
          `${name}: ends redirecting to ${to}`,
        ).toBe(true);
      }
    }
  } finally {
    await api.dispose();
    console.log(`\nGuard bypass attempts (no session):\n${rows.join('\n')}\n`);
    await test
      .info()
      .attach('guard-bypass.md', { body: rows.join('\n'), contentType: 'text/markdown' });
  }
});
