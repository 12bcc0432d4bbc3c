/**
 * `npm run bench`: the per-request costs of the hot paths, on this machine.
 * - the Edge guard opening the session cookie (every page request);
 * - sealing it (sign-in, refresh, activity touch at most once a minute);
 * - the resource server reading the credential and verifying a JWT access token (every /api call).
 */
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { bench, describe } from 'vitest';
import { localSizedTokens } from './fixtures';

// Generated: production mode refuses a hand-written sample (lib/config.ts weakSecretReason).
process.env.SESSION_SECRET = randomBytes(32).toString('base64url');
Object.assign(process.env, { NODE_ENV: 'production', BENCH: '1' });

const { openSession, sealSession } = await import('@/lib/session/cookie');
const { guard } = await import('@/lib/guard');
const { NextRequest } = await import('next/server');
const { readCredential } = await import('@/lib/resource-server/bearer');
const { createAccessTokenVerifier } = await import('@/lib/resource-server/access-token');

const now = Math.floor(Date.now() / 1000);
const data = { ...localSizedTokens(now), createdAt: now, lastSeenAt: now };
const sealed = await sealSession(data);

const { privateKey, publicKey } = await generateKeyPair('RS256');
const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
const { createLocalJWKSet } = await import('jose');
const keys = createLocalJWKSet({ keys: [jwk] });
const verify = createAccessTokenVerifier({
  issuer: 'https://issuer.example',
  audience: 'https://api.example',
  algorithms: ['RS256'],
  clockToleranceS: 30,
  jwks: { getKey: keys, fetches: 0 },
});
const token = await new SignJWT({ client_id: 'app', scope: 'notes:read' })
  .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'k1' })
  .setIssuer('https://issuer.example')
  .setAudience('https://api.example')
  .setSubject('alice')
  .setIssuedAt()
  .setExpirationTime('5m')
  .sign(privateKey);
const request = new Request('https://api.example/api/notes', {
  headers: { Authorization: `Bearer ${token}` },
});

describe(`session cookie (${sealed.length} bytes)`, () => {
  bench('openSession (Edge guard, every page request)', async () => {
    await openSession(sealed);
  });
  bench('sealSession (sign-in, refresh, activity touch)', async () => {
    await sealSession(data);
  });
});

// The Edge guard's whole function, as the middleware runs it, on the bench's two pages: what it
// does for a public page (the CSP nonce) and what it adds for a guarded one (open the cookie).
const withCookie = (path: string) =>
  new NextRequest(`http://localhost:3000${path}`, {
    headers: { cookie: `__Host-session=${sealed}` },
  });
describe('the Edge guard, whole (lib/guard.ts)', () => {
  bench('a public page, carrying the session cookie', async () => {
    await guard(withCookie('/bench/public'));
  });
  bench('a guarded page, valid session (the opened-cookie cache warm)', async () => {
    await guard(withCookie('/bench/guarded'));
  });
});

describe('resource server', () => {
  bench('readCredential', async () => {
    await readCredential(request);
  });
  bench('verify an RS256 access token (keys cached)', async () => {
    await verify(token);
  });
});
