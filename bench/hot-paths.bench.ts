/**
 * `npm run bench`: the per-request costs of the hot paths, on this machine.
 * - the Edge guard opening the session cookie (every page request);
 * - sealing it (sign-in, refresh, activity touch at most once a minute);
 * - the resource server reading the credential and verifying a JWT access token (every /api call).
 */
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { bench, describe } from 'vitest';
import { localSizedTokens } from './fixtures';

process.env.SESSION_SECRET = 'bench-session-secret-0123456789-abcdefgh';
Object.assign(process.env, { NODE_ENV: 'production' });

const { openSession, sealSession } = await import('@/lib/session/cookie');
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

describe('resource server', () => {
  bench('readCredential', async () => {
    await readCredential(request);
  });
  bench('verify an RS256 access token (keys cached)', async () => {
    await verify(token);
  });
});
