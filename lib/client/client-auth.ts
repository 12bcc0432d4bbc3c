/**
 * Client authentication at the token, revocation and introspection endpoints, as
 * OIDC_CLIENT_AUTH_METHOD says: RFC 6749 §2.3.1 client_secret_basic (id and secret are
 * form-urlencoded before Base64, so reserved characters travel encoded) or client_secret_post,
 * or RFC 7523 §2.2 private_key_jwt (a signed assertion; no secret leaves this server).
 *
 * Imports carry their `.ts` extension: `npm run doctor` runs this file with Node's type stripping.
 */
import { readFile } from 'node:fs/promises';
import { importPKCS8 } from 'jose';
import * as oauth from 'oauth4webapi';
import type { ClientCredentials } from '../config.ts';

export async function clientAuthentication(
  credentials: ClientCredentials,
): Promise<oauth.ClientAuth> {
  switch (credentials.method) {
    case 'client_secret_basic':
      return oauth.ClientSecretBasic(credentials.secret);
    case 'client_secret_post':
      return oauth.ClientSecretPost(credentials.secret);
    case 'private_key_jwt': {
      const pem =
        credentials.privateKey.pem ??
        (await readFile(/* turbopackIgnore: true */ credentials.privateKey.file ?? '', 'utf8'));
      const key = await importPKCS8(pem, credentials.alg);
      return oauth.PrivateKeyJwt(credentials.keyId ? { key, kid: credentials.keyId } : key);
    }
  }
}
