/**
 * The configuration as the app reads it (lib/config.ts), and what the user must register at the
 * provider. A ConfigError is reported as the app would raise it, naming the variable at fault.
 */
import {
  ConfigError,
  LOCAL_IDP,
  readConfig,
  readResourceServerConfig,
  type Config,
  type ResourceServerConfig,
} from '../config.ts';
import type { AudienceRequest } from '../providers/profiles.ts';
import type { Env, Finding } from './finding.ts';

/** Stands in for SESSION_SECRET, which seals cookies and is none of the doctor's business. */
/** Stands in for a missing SESSION_SECRET while the rest is checked: random, like a real one. */
const PLACEHOLDER_SESSION_SECRET = `${crypto.randomUUID()}${crypto.randomUUID()}`;

/** Scopes of the OpenID layer; the rest of OIDC_SCOPES are the API's. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'address', 'phone', 'offline_access']);

export function apiScopes(config: Config): string[] {
  return config.scopes.split(' ').filter((s) => s && !OIDC_SCOPES.has(s));
}

/** The raw OIDC_ISSUER, as the user wrote it (the metadata's `issuer` must equal it exactly). */
export function configuredIssuer(env: Env): string {
  return env.OIDC_ISSUER?.trim() || LOCAL_IDP.issuer;
}

export function describeAudienceRequest(mode: AudienceRequest, audience: string): string {
  switch (mode) {
    case 'resource':
      return `the app sends resource=${audience} on the authorization and token requests (RFC 8707 §2)`;
    case 'audience':
      return `the app sends audience=${audience} on the authorization request (Auth0's parameter)`;
    case 'scope':
      return 'the app sends no audience parameter: the provider derives the audience from the scopes or from its own configuration';
  }
}

export interface Configuration {
  config: Config;
  /** Undefined when the resource-server settings are wrong (reported). */
  resourceServer?: ResourceServerConfig;
}

function configError(err: unknown): Finding {
  if (!(err instanceof ConfigError)) throw err;
  return {
    check: 'configuration',
    status: 'fail',
    detail: err.message,
    fix: 'Correct the variable named above in .env.local (every setting is listed in .env.example), then run the doctor again.',
  };
}

export function checkConfiguration(env: Env, findings: Finding[]): Configuration | undefined {
  let config: Config;
  try {
    config = readConfig({
      ...env,
      SESSION_SECRET: env.SESSION_SECRET?.trim() || PLACEHOLDER_SESSION_SECRET,
    });
  } catch (err) {
    const finding = configError(err);
    // A malformed SESSION_SECRET stops the app, so it is reported; the provider checks go on.
    if (!/SESSION_SECRET/.test(finding.detail)) {
      findings.push(finding);
      return undefined;
    }
    findings.push({ ...finding, check: 'session secret' });
    try {
      config = readConfig({
        ...env,
        SESSION_SECRET: PLACEHOLDER_SESSION_SECRET,
        SESSION_SECRET_PREVIOUS: undefined,
      });
    } catch (again) {
      findings.push(configError(again));
      return undefined;
    }
  }

  let resourceServer: ResourceServerConfig | undefined;
  try {
    resourceServer = readResourceServerConfig(env);
  } catch (err) {
    findings.push(configError(err));
  }

  const { provider, clientCredentials: credentials } = config;
  const secret =
    credentials.method === 'private_key_jwt'
      ? `private key ${credentials.privateKey.file ? `in ${credentials.privateKey.file}` : 'in OIDC_CLIENT_PRIVATE_KEY'} (${credentials.alg}${credentials.keyId ? `, kid ${credentials.keyId}` : ''})`
      : `client secret set (${credentials.secret.length} characters)`;
  findings.push({
    check: 'configuration',
    status: 'ok',
    detail: `${config.localIdp ? 'local identity provider defaults: ' : ''}OIDC_ISSUER ${configuredIssuer(env)}, OIDC_CLIENT_ID ${config.clientId}, ${secret}, API_AUDIENCE ${config.apiAudience}, scopes "${config.scopes}"`,
  });
  findings.push({
    check: 'provider profile',
    status: 'info',
    detail: `${provider.name}: ${provider.label}${env.OIDC_PROVIDER?.trim() ? '' : ' (the default; set OIDC_PROVIDER to choose another)'}. Guide: ${provider.guide}`,
  });
  findings.push({
    check: 'audience request',
    status: 'info',
    detail: `${provider.audienceRequest}: ${describeAudienceRequest(provider.audienceRequest, config.apiAudience)}`,
  });
  findings.push({
    check: 'client authentication',
    status: 'info',
    detail: `${credentials.method} at the token endpoint (${credentials.method === 'private_key_jwt' ? 'RFC 7523 §2.2' : 'RFC 6749 §2.3.1'})`,
  });
  const logoutUri =
    provider.logout === 'none'
      ? ''
      : ` and the post-logout redirect URI ${config.postLogoutRedirectUri}`;
  findings.push({
    check: 'redirect URIs',
    status: 'info',
    detail: `register at the provider, exactly: the redirect URI ${config.redirectUri}${logoutUri} (from APP_BASE_URL)`,
  });
  if (!provider.api.supported) {
    findings.push({ check: 'API', status: 'info', detail: provider.api.reason });
  }
  return { config, resourceServer };
}
