/** Runs once when the server starts: check the configuration before serving anything. */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { assertConfiguration } = await import('./lib/startup');
    assertConfiguration();
  }
}
