/**
 * Signing keys of the local identity provider: generated on first start into the git-ignored
 * `.local/` folder, then reused so that tokens and the app's JWKS cache survive restarts.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export const KEYS_FILE = path.join(process.cwd(), '.local', 'idp-jwks.json');

async function generate(alg: 'RS256' | 'ES256'): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, alg, use: 'sig', kid: `${alg.toLowerCase()}-${Date.now().toString(36)}` };
}

export async function loadOrCreateKeys(): Promise<{ keys: JWK[] }> {
  try {
    return JSON.parse(await readFile(KEYS_FILE, 'utf8')) as { keys: JWK[] };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const jwks = { keys: [await generate('RS256'), await generate('ES256')] };
  await mkdir(path.dirname(KEYS_FILE), { recursive: true });
  await writeFile(KEYS_FILE, JSON.stringify(jwks, null, 2), { mode: 0o600 });
  console.log(`generated signing keys in ${path.relative(process.cwd(), KEYS_FILE)} (git-ignored)`);
  return jwks;
}
