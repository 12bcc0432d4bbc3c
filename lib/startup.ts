/**
 * Node only: refuse to start on a configuration error, with a message naming the variable. On a
 * Vercel deployment, log what is missing instead: exiting would only restart into the same
 * failure, and the Edge guard shows every visitor the setup page (lib/deployment-setup.ts).
 */
import { ConfigError, onVercelDeployment, readConfig, readResourceServerConfig } from './config';
import { deploymentProblems } from './deployment-setup';

export function assertConfiguration(): void {
  if (onVercelDeployment()) {
    const problems = deploymentProblems();
    if (problems.length)
      console.error(
        `\nSetup needed: ${problems.map((p) => p.name).join(', ')} (every request answers the setup page, 503)\n`,
      );
    return;
  }
  try {
    readConfig();
    readResourceServerConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`\nConfiguration error: ${err.message}\n`);
    process.exit(1);
  }
}
