/**
 * Sealing cookie values with SESSION_SECRET, and opening them with it or with any of
 * SESSION_SECRET_PREVIOUS, so that a secret rotation ends nothing: not sessions, not sign-ins or
 * sign-outs in progress. iron-session does the cryptography (AES-256-CBC + HMAC-SHA-256 in
 * iron's format, sealData / unsealData). Web APIs only: the Edge guard opens the session too.
 *
 * Each secret's id in the seal is derived from a hash of the secret, so it stays stable as a
 * secret moves from current to previous.
 */
import { sealData, unsealData } from 'iron-session';
import { config } from '../config';

type PasswordMap = Record<number, string>;

async function secretId(secret: string): Promise<number> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret)),
  );
  // 40 bits: far from collisions among a handful of secrets, and a safe integer.
  return digest.slice(0, 5).reduce((n, byte) => n * 256 + byte, 0) + 1;
}

/** iron-session password maps: seal with the current secret only, open with any. */
export async function passwordMaps(
  current: string,
  previous: readonly string[] = [],
): Promise<{ seal: PasswordMap; open: PasswordMap }> {
  const id = await secretId(current);
  const open: PasswordMap = { [id]: current };
  for (const old of previous) open[await secretId(old)] = old;
  return { seal: { [id]: current }, open };
}

let passwords: ReturnType<typeof passwordMaps> | undefined;

function appPasswords() {
  passwords ??= passwordMaps(config().sessionSecret, config().previousSessionSecrets);
  return passwords;
}

/** Seals `data` with SESSION_SECRET; the seal itself expires after `ttlS`. */
export async function seal(data: object, ttlS: number): Promise<string> {
  return sealData(data, { password: (await appPasswords()).seal, ttl: ttlS });
}

/**
 * Opens a seal made by `seal` with the current or a previous secret. Anything else (tampered,
 * foreign, expired, unknown secret) opens as `{}`: callers check the shape they expect.
 */
export async function unseal<T extends object>(sealed: string, ttlS: number): Promise<Partial<T>> {
  return unsealData<Partial<T>>(sealed, { password: (await appPasswords()).open, ttl: ttlS });
}
