/**
 * The setup doctor: checks the configured provider the way the app will use it, and says what to
 * fix. `npm run doctor` (scripts/doctor.ts) prints it; the development-only /setup page shows it.
 *
 * Plain Node can run this folder with type stripping: every relative import carries `.ts`, and it
 * imports no Next.js, no lib/client and no lib/session.
 */
import { checkClientCredentials } from './client-credentials.ts';
import { checkConfiguration } from './configuration.ts';
import type { DoctorOptions, Env, Finding } from './finding.ts';
import { checkDiscovery, checkKeys, checkMetadata, transport } from './provider.ts';
import { checkSessionStore } from './session-store.ts';
import { checkAccessToken } from './token.ts';

export type { DoctorOptions, Finding, Status } from './finding.ts';
export { summarize } from './finding.ts';

export async function runDoctor(env: Env, options: DoctorOptions = {}): Promise<Finding[]> {
  const findings: Finding[] = [];

  const configuration = checkConfiguration(env, findings);
  if (!configuration) return findings;
  const { config, resourceServer } = configuration;
  findings.push(await checkSessionStore(config));
  const http = transport(config.issuer, options.fetchImpl);

  const metadata = await checkDiscovery(env, config, http, findings);
  if (!metadata) {
    if (options.token)
      findings.push({
        check: 'access token',
        status: 'info',
        detail: "not checked: the provider's metadata is needed to check it",
      });
    return findings;
  }
  const keys = await checkKeys(config, resourceServer, metadata, http, findings);
  checkMetadata(config, resourceServer, metadata, http, findings);

  const credentials = await checkClientCredentials(config, metadata, http);
  if (credentials) findings.push(credentials.finding);

  if (!config.provider.api.supported) {
    findings.push({
      check: 'access token',
      status: 'info',
      detail: `not checked: ${config.provider.api.reason}`,
    });
    return findings;
  }
  if (!resourceServer) return findings; // its ConfigError is reported

  const token = options.token?.trim() ? options.token : credentials?.accessToken;
  if (!token) {
    findings.push({
      check: 'access token',
      status: 'info',
      detail:
        'none to check: the client-credentials grant gave none. Paste one: npm run doctor -- --token <access token> (or --token - to read it from stdin)',
    });
    return findings;
  }
  const source = options.token?.trim()
    ? (options.tokenLabel ?? 'the pasted token')
    : 'the client-credentials token';
  findings.push(
    ...(await checkAccessToken(
      {
        config,
        resourceServer,
        metadataIssuer: typeof metadata.issuer === 'string' ? metadata.issuer : undefined,
        apiJwksUri: keys.apiJwksUri,
        apiJwks: keys.apiJwks,
        customFetch: options.fetchImpl !== undefined,
      },
      token,
      source,
    )),
  );
  return findings;
}
