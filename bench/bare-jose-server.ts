/**
 * For `npm run bench`: a bare node:http server that does what GET /api/me does to a token with
 * jose alone (the Bearer header, jwtVerify against the issuer's JWKS with the same checks: typ
 * at+jwt, iss, aud, exp/nbf/iat with 30 s tolerance, RS256/PS256/ES256), then answers JSON. The
 * floor for what a JWT check costs, without Next.js. Usage: node bare-jose-server.ts <port> <issuer> <audience>
 */
import { createServer } from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const [port, issuer, audience] = process.argv.slice(2) as [string, string, string];
const metadata = (await (
  await fetch(new URL('/.well-known/openid-configuration', issuer))
).json()) as { issuer: string; jwks_uri: string };
const keys = createRemoteJWKSet(new URL(metadata.jwks_uri));

createServer(async (request, response) => {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(request.headers.authorization ?? '');
  if (!match) {
    response
      .writeHead(401, { 'WWW-Authenticate': 'Bearer realm="api"', 'Cache-Control': 'no-store' })
      .end();
    return;
  }
  try {
    const { payload } = await jwtVerify(match[1]!, keys, {
      issuer: metadata.issuer,
      audience,
      typ: 'at+jwt',
      algorithms: ['RS256', 'PS256', 'ES256'],
      clockTolerance: 30,
      requiredClaims: ['exp', 'iat', 'sub', 'client_id'],
    });
    response
      .writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
      .end(JSON.stringify({ sub: payload.sub, scope: payload.scope }));
  } catch {
    response
      .writeHead(401, {
        'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"',
        'Cache-Control': 'no-store',
      })
      .end();
  }
}).listen(Number(port), '127.0.0.1', () => console.log(`bare jose server on ${port}`));
