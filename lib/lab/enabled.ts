/**
 * The attack lab is on in development and off in production, unless LAB=on turns it on. Off,
 * its page and its route answer 404 and the guard leaves /lab to them. Web APIs only (the Edge
 * guard reads it).
 */
export function labEnabled(env: Record<string, string | undefined> = process.env): boolean {
  const setting = env.LAB?.trim();
  if (setting === 'on') return true;
  if (setting === 'off') return false;
  return env.NODE_ENV !== 'production';
}

export const LAB_PATH = '/lab';
/** The custom header the lab page sends to /bff/lab (as /bff/notes wants x-bff-request). */
export const LAB_HEADER = 'x-lab-request';
