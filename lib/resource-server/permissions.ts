/**
 * Scopes are not roles. A scope says what the *client* may ask for on the user's behalf; what
 * the *user* may do is the resource server's own decision. Here it comes from the provider's
 * roles or groups claim (the profile's rolesClaim, e.g. Keycloak `realm_access.roles`, Okta
 * `groups`, Entra `roles`) holding API_WRITER_ROLE, or from a list of subjects (API_WRITERS):
 * data the API owns, not a provider's user names. In a real API: your database.
 */
import { resourceServerConfig } from '../config';
import type { AccessToken } from './access-token';

export function mayWriteNotes(token: AccessToken, policy = resourceServerConfig()): boolean {
  if (policy.writerRole !== undefined && token.roles.has(policy.writerRole)) return true;
  return policy.writers.includes(token.sub);
}
