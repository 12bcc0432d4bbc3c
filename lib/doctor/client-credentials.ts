/**
 * The client's credentials, checked where they are used: a client-credentials grant (RFC 6749
 * §4.4) at the token endpoint, authenticated as the app authenticates (RFC 6749 §2.3.1,
 * RFC 7523 §2.2). Most providers check the client before the grant type, so even a client that
 * may not use this grant learns whether its credentials hold.
 */
import * as oauth from 'oauth4webapi';
import { clientAuthentication } from '../client/client-auth.ts';
import type { Config } from '../config.ts';
import { apiScopes } from './configuration.ts';
import { clean, networkError, type Finding } from './finding.ts';
import type { Transport } from './provider.ts';

const CHECK = 'client credentials';

/** Errors that come after client authentication: the credentials held, the grant did not. */
const AFTER_AUTHENTICATION: Readonly<Record<string, string>> = {
  unauthorized_client: 'this client may not use the client-credentials grant',
  unsupported_grant_type: 'the provider does not offer the client-credentials grant',
  invalid_scope: 'the API scopes are not allowed in a client-credentials request',
  invalid_grant: 'the provider refused the grant',
  // RFC 8707 §2: the provider does not know the API as a resource.
  invalid_target: 'the provider does not accept the resource (API_AUDIENCE) for this client',
};

/** The token request's parameters: the API's scopes and audience, as the profile asks for them. */
export function grantParameters(config: Config): URLSearchParams {
  const params = new URLSearchParams();
  const scopes = apiScopes(config);
  if (scopes.length) params.set('scope', scopes.join(' '));
  if (config.provider.api.supported) {
    if (config.provider.audienceRequest === 'resource') params.set('resource', config.apiAudience); // RFC 8707 §2.2
    if (config.provider.audienceRequest === 'audience') params.set('audience', config.apiAudience); // Auth0
  }
  return params;
}

/**
 * RFC 6749 §2.3.1: client_secret_basic form-encodes the id and the secret before Base64, so any
 * character but a letter or digit travels percent-encoded, and some providers do not decode it.
 */
function encodingHint(config: Config): string {
  const credentials = config.clientCredentials;
  if (credentials.method !== 'client_secret_basic') return '';
  if (/^[A-Za-z0-9]*$/.test(config.clientId) && /^[A-Za-z0-9]*$/.test(credentials.secret))
    return '';
  return ' The client id or secret holds characters that client_secret_basic sends form-encoded (RFC 6749 §2.3.1), and some providers (Glewlwyd, for one) do not decode them: try OIDC_CLIENT_AUTH_METHOD=client_secret_post.';
}

export interface CredentialsResult {
  finding: Finding;
  /** The access token the grant returned, to be checked like a pasted one. */
  accessToken?: string;
}

export async function checkClientCredentials(
  config: Config,
  metadata: oauth.AuthorizationServer,
  http: Transport,
): Promise<CredentialsResult | undefined> {
  if (typeof metadata.token_endpoint !== 'string') return undefined; // reported with the endpoints

  let auth: oauth.ClientAuth;
  try {
    auth = await clientAuthentication(config.clientCredentials);
  } catch (err) {
    return {
      finding: {
        check: CHECK,
        status: 'fail',
        detail: `the private key cannot be used: ${clean(err instanceof Error ? err.message : String(err))}`,
        fix: `OIDC_CLIENT_PRIVATE_KEY(_FILE) must hold a PKCS #8 PEM for ${config.clientCredentials.method === 'private_key_jwt' ? config.clientCredentials.alg : 'the key algorithm'} (OIDC_CLIENT_KEY_ALG).`,
      },
    };
  }

  const client: oauth.Client = { client_id: config.clientId };
  const params = grantParameters(config);
  const sent = [...params.keys()].length
    ? ` (with ${[...params].map(([k, v]) => `${k}=${v}`).join(', ')})`
    : '';
  let response: Response;
  try {
    response = await oauth.clientCredentialsGrantRequest(
      metadata,
      client,
      auth,
      params,
      http.oauth(),
    );
  } catch (err) {
    return {
      finding: {
        check: CHECK,
        status: 'warn',
        detail: `the token endpoint cannot be reached: ${networkError(err)}`,
        fix: 'Check that this machine can reach the token endpoint; sign-in needs it too.',
      },
    };
  }

  if (response.status === 200) {
    try {
      const tokens = await oauth.processClientCredentialsResponse(metadata, client, response);
      return {
        finding: {
          check: CHECK,
          status: 'ok',
          detail: `the token endpoint accepted the ${config.clientCredentials.method} credentials and issued an access token to the client-credentials grant${sent}`,
        },
        accessToken: tokens.access_token,
      };
    } catch (err) {
      return {
        finding: {
          check: CHECK,
          status: 'warn',
          detail: `HTTP 200, but not a valid token response: ${clean(err instanceof Error ? err.message : String(err))}`,
          fix: "The credentials were accepted; the provider's token response does not follow RFC 6749 §5.1.",
        },
      };
    }
  }

  // RFC 6749 §5.2: { error, error_description }. Echoed only as cleaned, truncated text.
  const body: unknown = await response.json().catch(() => undefined);
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const error = typeof fields.error === 'string' ? clean(fields.error, 60) : undefined;
  const description =
    typeof fields.error_description === 'string' ? `: "${clean(fields.error_description)}"` : '';
  const answered = `HTTP ${response.status}${error ? ` ${error}` : ' without an error code'}${description}`;

  if (error === 'invalid_client' || (response.status === 401 && !error)) {
    return {
      finding: {
        check: CHECK,
        status: 'fail',
        detail: `the provider refused the client credentials (${answered})`,
        fix: `Check OIDC_CLIENT_ID (${config.clientId}) and ${config.clientCredentials.method === 'private_key_jwt' ? 'the private key registered for it (OIDC_CLIENT_PRIVATE_KEY, OIDC_CLIENT_KEY_ID)' : 'OIDC_CLIENT_SECRET'} against the client registered at the provider, and that OIDC_CLIENT_AUTH_METHOD (${config.clientCredentials.method}) is the method the client is registered with.${encodingHint(config)}`,
      },
    };
  }
  // Some providers (oidc-provider) answer a grant the client may not use with invalid_request
  // after authenticating it: "requested grant type is not allowed for this client".
  const grantNotAllowed = error === 'invalid_request' && /grant[ _]type/i.test(answered);
  if (grantNotAllowed) {
    return {
      finding: {
        check: CHECK,
        status: 'info',
        detail: `${answered}${sent}. As far as can be told, the credentials were accepted; this client may not use the client-credentials grant, so no access token could be fetched this way.`,
      },
    };
  }
  if (error && error in AFTER_AUTHENTICATION) {
    const hint = error === 'unauthorized_client' ? encodingHint(config) : '';
    return {
      finding: {
        check: CHECK,
        status: 'info',
        detail: `${answered}: ${AFTER_AUTHENTICATION[error]}${sent}. As far as can be told, the credentials were accepted; no access token could be fetched this way.${hint}`,
        fix:
          error === 'invalid_target'
            ? 'Register API_AUDIENCE as an API / resource at the provider, with exactly this identifier.'
            : undefined,
      },
    };
  }
  // The provider does not offer the grant at all (RFC 8414 grant_types_supported): its refusal,
  // in whatever form, says nothing about the credentials.
  const grants = metadata.grant_types_supported;
  if (Array.isArray(grants) && !grants.includes('client_credentials')) {
    return {
      finding: {
        check: CHECK,
        status: 'info',
        detail: `the provider does not offer the client-credentials grant (grant_types_supported) and answered ${answered}${sent}: the credentials cannot be checked without a sign-in. A failed sign-in logs the token endpoint's status and error code (login_failed).`,
      },
    };
  }
  return {
    finding: {
      check: CHECK,
      status: 'warn',
      detail: `the token endpoint answered ${answered}${sent}`,
      fix: "Unexpected answer to a client-credentials request: check the provider's logs for this client.",
    },
  };
}
