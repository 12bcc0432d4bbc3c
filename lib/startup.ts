/** Node only: refuse to start on a configuration error, with a message naming the variable. */
import { ConfigError, readConfig, readResourceServerConfig } from './config';

export function assertConfiguration(): void {
  try {
    readConfig();
    readResourceServerConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`\nConfiguration error: ${err.message}\n`);
    process.exit(1);
  }
}
