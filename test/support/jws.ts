/**
 * Keys and JSON Web Signatures made by hand, for the tests (a helper module, not a test file).
 * The fake provider (./provider.ts) signs with these, and so do tests that build tokens it would
 * never issue.
 *
 * - `newKeyPair` makes a real key pair and the public JWK a provider would publish for it.
 * - `signSegments` signs whatever header and payload it is given. It does not check the header,
 *   so a test can forge `crit`, `jku`, `alg` and the like.
 * - `segments`, `decodeSegment`, `flipSignature` and `unsigned` take tokens apart and tamper
 *   with them.
 * - `nowS` is the real time in seconds, even while a test has frozen Date.now.
 */
import { exportJWK, generateKeyPair, type JWK } from 'jose';

/** The real Date.now, even while a test's frozen clock replaces Date.now. */
const realNow = Date.now.bind(Date);
/** Real seconds since the epoch: what jose compares exp/iat/nbf with (`new Date()`). */
export const nowS = () => Math.floor(realNow() / 1000);

// ---------------------------------------------------------------------------------------------
// Keys.

export interface KeyPair {
  kid: string;
  alg: 'RS256' | 'ES256' | 'EdDSA';
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The public JWK as the provider publishes it (kid, alg, use). */
  jwk: JWK;
}

export async function newKeyPair(alg: KeyPair['alg'], kid: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicKey, jwk };
}

// ---------------------------------------------------------------------------------------------
// Compact JWS by hand: these helpers sign whatever they are given.

export const b64url = (bytes: Uint8Array | string): string =>
  Buffer.from(bytes).toString('base64url');
export const b64json = (value: unknown): string => b64url(JSON.stringify(value));

/** The Web Crypto parameters for a signing key (HMAC keys included, for alg confusion). */
function signParams(key: CryptoKey): AlgorithmIdentifier | EcdsaParams | RsaPssParams {
  switch (key.algorithm.name) {
    case 'ECDSA':
      return { name: 'ECDSA', hash: 'SHA-256' };
    case 'RSA-PSS':
      return { name: 'RSA-PSS', saltLength: 32 };
    default:
      return { name: key.algorithm.name }; // RSASSA-PKCS1-v1_5, HMAC, Ed25519
  }
}

/** Signs `<header>.<payload>` (already base64url) with `key`; returns the compact JWS. */
export async function signSegments(
  header: string,
  payload: string,
  key: CryptoKey,
): Promise<string> {
  const signature = await crypto.subtle.sign(
    signParams(key),
    key,
    new TextEncoder().encode(`${header}.${payload}`),
  );
  return `${header}.${payload}.${b64url(new Uint8Array(signature))}`;
}

/** An HMAC-SHA256 key made of arbitrary bytes (e.g. the issuer's public key, for alg confusion). */
export function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
}

/** Overrides merged onto defaults; a member set to `undefined` removes it. */
export type Overrides = Record<string, unknown>;

/** `overrides` merged onto `defaults`; members set to `undefined` are removed. */
export function merge(defaults: Overrides, overrides: Overrides): Overrides {
  return Object.fromEntries(
    Object.entries({ ...defaults, ...overrides }).filter(([, v]) => v !== undefined),
  );
}

export interface Segments {
  header: string;
  payload: string;
  signature: string;
}

export function segments(token: string): Segments {
  const [header = '', payload = '', signature = ''] = token.split('.');
  return { header, payload, signature };
}

export function decodeSegment(segment: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Flips every bit of one signature byte (a real change, not base64url padding bits). */
export function flipSignature(token: string, index = 10): string {
  const { header, payload, signature } = segments(token);
  const bytes = Buffer.from(signature, 'base64url');
  bytes[index] = (bytes[index] ?? 0) ^ 0xff;
  return `${header}.${payload}.${bytes.toString('base64url')}`;
}

/** An unsigned JWS (empty signature) with the given header and claims. */
export function unsigned(header: Overrides, claims: Overrides): string {
  return `${b64json(header)}.${b64json(claims)}.`;
}
