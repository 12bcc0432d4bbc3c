/**
 * The local identity provider: oidc-provider on http://localhost:4000.
 * FOR DEVELOPMENT AND TESTS ONLY. It refuses to start when a real OIDC_ISSUER is configured.
 *
 *   npm run idp        (npm run dev starts it for you)
 */
import Provider from 'oidc-provider';
import { LOCAL_IDP } from '../lib/config.ts';
import { configuration } from './configuration.ts';
import { interactions } from './interactions.ts';
import { loadOrCreateKeys } from './keys.ts';

if (process.env.OIDC_ISSUER) {
  console.error(`OIDC_ISSUER is set (${process.env.OIDC_ISSUER}): the local identity provider is not started.`);
  process.exit(1);
}

const issuer = new URL(LOCAL_IDP.issuer);
const provider = new Provider(issuer.origin, configuration(await loadOrCreateKeys()));
provider.use(interactions(provider));

provider.on('server_error', (_ctx, err) => console.error('server_error', err));

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
