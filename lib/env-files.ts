/**
 * The .env files, loaded as `next dev` loads them (@next/env: .env.development.local,
 * .env.local, .env.development, .env, the first one that sets a variable wins, and the real
 * environment wins over all of them), for the processes besides Next that read settings:
 * `npm run dev` itself (OIDC_ISSUER decides whether the local IdP starts), the local IdP (IDP_*)
 * and `npm run doctor`. Node only. Imported first, for its effect, before any module reads
 * process.env.
 */
import nextEnv from '@next/env';

const { loadedEnvFiles } = nextEnv.loadEnvConfig(
  process.cwd(),
  process.env.NODE_ENV !== 'production',
  { info: () => {}, error: console.error },
);

/** The files read, for the dev runner to say so. */
export const LOADED_ENV_FILES: readonly string[] = loadedEnvFiles.map((f) => f.path);
