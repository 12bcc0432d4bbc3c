/**
 * The client-credentials grant (RFC 6749 §4.4), for the machine client panel of the lab: a
 * machine, not a user, gets an access token for the API. Each step is one visible oauth4webapi
 * call. Only against the local IdP, whose machine client is known (LOCAL_IDP); a real
 * deployment's machines run elsewhere, with their own credentials.
 */
import * as oauth from 'oauth4webapi';
import { config, LOCAL_IDP } from '../config';
import { authorizationServer, httpOptions } from './authorization-server';

export const MACHINE_SCOPE = 'stats:read';

export async function machineAccessToken(
  scope = MACHINE_SCOPE,
): Promise<{ accessToken: string; tokenType: string; expiresIn?: number; scope?: string }> {
  if (!config().localIdp)
    throw new Error('the machine client panel needs the local identity provider');
  const as = await authorizationServer();
  const client: oauth.Client = { client_id: LOCAL_IDP.machineClientId };
  // RFC 6749 §2.3.1: the machine authenticates as itself (HTTP Basic).
  const auth = oauth.ClientSecretBasic(LOCAL_IDP.machineClientSecret);
  // RFC 6749 §4.4.2: the token request; no user, no redirect, no refresh token.
  const response = await oauth.clientCredentialsGrantRequest(
    as,
    client,
    auth,
    new URLSearchParams({ scope }),
    httpOptions(),
  );
  // RFC 6749 §4.4.3, §5.1: the token response (token_type Bearer only).
  const result = await oauth.processClientCredentialsResponse(as, client, response);
  return {
    accessToken: result.access_token,
    tokenType: result.token_type,
    expiresIn: result.expires_in,
    scope: result.scope,
  };
}
