/**
 * Development only: with no SESSION_SECRET, generate one into the git-ignored `.local/` folder,
 * reuse it on later starts (so sessions survive restarts), and say so in one line.
 * Node only; called from next.config.ts before the server starts.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const DEV_SECRET_FILE = path.join(process.cwd(), '.local', 'session-secret');

export function ensureDevSessionSecret(env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_ENV === 'production' || env.SESSION_SECRET) return;
  let secret: string;
  try {
    secret = readFileSync(DEV_SECRET_FILE, 'utf8').trim();
  } catch {
    secret = randomBytes(32).toString('base64url');
    mkdirSync(path.dirname(DEV_SECRET_FILE), { recursive: true });
    writeFileSync(DEV_SECRET_FILE, `${secret}\n`, { mode: 0o600 });
  }
  env.SESSION_SECRET = secret;
  console.log(
    `SESSION_SECRET is not set: using a development secret from ${path.relative(process.cwd(), DEV_SECRET_FILE)} (never in production).`,
  );
}
