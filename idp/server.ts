/**
 * The local identity provider: oidc-provider on http://localhost:4000.
 * FOR DEVELOPMENT AND TESTS ONLY. It refuses to start when a real OIDC_ISSUER is configured.
 *
 *   npm run idp        (npm run dev starts it for you)
 */
import '../lib/env-files.ts'; // first: IDP_* settings in .env.local
import { createHash, randomUUID } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import Provider from 'oidc-provider';
import { LOCAL_IDP } from '../lib/config.ts';
import { API_AUDIENCE, configuration } from './configuration.ts';
import { interactions } from './interactions.ts';
import { loadOrCreateKeys } from './keys.ts';

if (process.env.OIDC_ISSUER) {
  console.error(
    `OIDC_ISSUER is set (${process.env.OIDC_ISSUER}): the local identity provider is not started.`,
  );
  process.exit(1);
}

const issuer = new URL(LOCAL_IDP.issuer);
const jwks = await loadOrCreateKeys();
const provider = new Provider(issuer.origin, configuration(jwks));
provider.use(interactions(provider));

// Development and tests only: how often each refresh token was used, and with what outcome,
// so a test can check that ten parallel requests caused exactly one refresh. Keyed by a hash.
const refreshes: Record<string, { success: number; error: number }> = {};
function recordRefresh(
  ctx: { oidc: { params?: Record<string, unknown> } },
  outcome: 'success' | 'error',
) {
  const token = ctx.oidc.params?.refresh_token;
  if (ctx.oidc.params?.grant_type !== 'refresh_token' || typeof token !== 'string') return;
  const key = createHash('sha256').update(token).digest('hex');
  refreshes[key] ??= { success: 0, error: 0 };
  refreshes[key][outcome]++;
}
provider.on('grant.success', (ctx) => recordRefresh(ctx, 'success'));
provider.on('grant.error', (ctx) => recordRefresh(ctx, 'error'));
provider.use(async (ctx, next) => {
  const match = /^\/dev\/refreshes\/([a-f0-9]{64})$/.exec(ctx.path);
  if (ctx.method !== 'GET' || !match) return next();
  ctx.set('Cache-Control', 'no-store');
  ctx.body = refreshes[match[1]!] ?? { success: 0, error: 0 };
});

// Development and tests only: access tokens the attack lab (/lab) cannot get from a real flow,
// signed with this IdP's own key: one that expired ten minutes ago, and one for another API.
// Both are refused by /api by design; that is what the lab shows.
const LAB_TOKENS: Record<string, { aud: string; iatOffsetS: number }> = {
  expired: { aud: API_AUDIENCE, iatOffsetS: -900 },
  'other-audience': { aud: 'https://other-api.example/', iatOffsetS: 0 },
};
provider.use(async (ctx, next) => {
  const match = /^\/dev\/lab-tokens\/([a-z-]+)$/.exec(ctx.path);
  const kind = match ? LAB_TOKENS[match[1]!] : undefined;
  if (ctx.method !== 'GET' || !kind) return next();
  const jwk = jwks.keys.find((k) => k.alg === 'RS256')!;
  const now = Math.floor(Date.now() / 1000) + kind.iatOffsetS;
  const sub = ctx.query.sub === 'bob' ? 'bob' : 'alice';
  const token = await new SignJWT({
    client_id: LOCAL_IDP.clientId,
    scope: 'notes:read notes:write',
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: jwk.kid })
    .setIssuer(issuer.origin)
    .setSubject(sub)
    .setAudience(kind.aud)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .setJti(randomUUID())
    .sign(await importJWK(jwk, 'RS256'));
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { access_token: token };
});

provider.on('server_error', (_ctx, err) => console.error('server_error', err));
provider.on('backchannel.error', (_ctx, err, client) =>
  console.error(
    `back-channel logout to ${client.clientId} failed: ${err.message}${err.cause ? ` (${String((err.cause as Error).message ?? err.cause)})` : ''}`,
  ),
);

const server = provider.listen(Number(issuer.port), 'localhost', () => {
  console.log(`local identity provider ready on ${issuer.origin} (development and tests only)`);
});

server.on('error', (err: NodeJS.ErrnoException) => {
  console.error(
    err.code === 'EADDRINUSE'
      ? `port ${issuer.port} is already in use: is another local identity provider running?`
      : `local identity provider failed: ${err.message}`,
  );
  process.exit(1);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
