/**
 * The resource server's trust in its issuer, set up once per process from the issuer's
 * metadata (RFC 8414 / OpenID Connect Discovery): exact `issuer`, `jwks_uri`, and the
 * `introspection_endpoint` when credentials are configured.
 */
import { resourceServerConfig, type ResourceServerConfig } from '../config';
import { discover, plainHttpAllowed } from '../issuer-http';
import { createAccessTokenVerifier, scopeNamer } from './access-token';
import { createIntrospector } from './introspection';
import { createJwksCache } from './jwks';

export async function createResourceServer(config: ResourceServerConfig) {
  // The same discovery as the client's (lib/issuer-http.ts), under the same HTTP policy.
  const as = await discover(config.issuer);
  const insecure = plainHttpAllowed(config.issuer);
  if (!as.jwks_uri) throw new Error('issuer metadata has no jwks_uri');

  const scopeName = scopeNamer(config.scopePrefix, config.scopeMap);
  // API_JWKS_URI overrides the metadata's jwks_uri (a provider whose API keys live elsewhere).
  const jwks = createJwksCache(config.jwksUri ?? new URL(as.jwks_uri));
  const introspect =
    config.introspection && as.introspection_endpoint
      ? createIntrospector({
          as,
          ...config.introspection,
          audience: config.audience,
          issuer: config.tokenIssuer,
          clockToleranceS: config.clockToleranceS,
          rolesClaim: config.tokenShape.rolesClaim,
          scopeName,
          allowInsecureRequests: insecure,
          maxConcurrent: config.introspectionMaxConcurrent,
        })
      : undefined;
  const verify = createAccessTokenVerifier({
    // API_ISSUER: the `iss` of access tokens when it differs from the OIDC issuer (Entra v1 tokens).
    issuer: config.tokenIssuer ?? as.issuer,
    audience: config.audience,
    algorithms: config.algorithms,
    clockToleranceS: config.clockToleranceS,
    jwks,
    shape: config.tokenShape,
    scopeName,
    introspect,
  });
  return { config, verify, jwks, introspect };
}

export type ResourceServer = Awaited<ReturnType<typeof createResourceServer>>;

let instance: Promise<ResourceServer> | undefined;
let failedAt = -Infinity;
/** After a failed setup (issuer down), wait this long before asking the issuer again. */
const RETRY_AFTER_MS = 5_000;

/** This process's resource server, set up on first use. */
export function resourceServer(): Promise<ResourceServer> {
  if (instance && failedAt > -Infinity && Date.now() - failedAt >= RETRY_AFTER_MS)
    instance = undefined;
  if (!instance) {
    failedAt = -Infinity;
    instance = createResourceServer(resourceServerConfig());
    instance.catch(() => (failedAt = Date.now()));
  }
  return instance;
}
