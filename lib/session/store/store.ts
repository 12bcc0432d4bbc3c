/**
 * The server-side session store (SESSION_STORE=memory or redis): the tokens of each session,
 * under a hash of its id, and the ids of each user's sessions (sign out everywhere). Node only:
 * the Edge guard never reaches the store; it checks the cookie optimistically, and every page,
 * route handler and BFF call checks the store (lib/session/session.ts).
 */
import { base64url } from 'jose';
import type { TokenSet } from '../../client/tokens';
import { CodedError } from '../../coded-error';

/**
 * What the store keeps of a session: the tokens, whose they are, and the provider's session id
 * (the ID token's `sid`), by which a back-channel logout names it.
 */
export type StoredSession = TokenSet & { sub: string; providerSid?: string };

export interface SessionStore {
  /** The session stored under `id`, or undefined: never stored, deleted (signed out), or expired. */
  read(id: string): Promise<StoredSession | undefined>;
  /** Stores (or replaces) the session under `id` for `ttlS` seconds. */
  write(id: string, session: StoredSession, ttlS: number): Promise<void>;
  /** Deletes the session: every cookie that names it is refused from now on. */
  remove(id: string): Promise<void>;
  /** Deletes every session of `sub` (sign out everywhere); returns how many there were. */
  removeUser(sub: string): Promise<number>;
  /** Deletes the sessions of the provider session `providerSid` (back-channel logout), only `sub`'s if given. */
  removeProviderSession(providerSid: string, sub?: string): Promise<number>;
  /**
   * Takes the lock `name` for `ttlMs` if no one holds it: a token to release it with, or
   * undefined when another holder (any instance) has it. It expires by itself if never released.
   */
  acquire(name: string, ttlMs: number): Promise<string | undefined>;
  /** Releases the lock, if `token` still holds it. */
  release(name: string, token: string): Promise<void>;
}

/** Every store call has a time limit: a slow store is an outage, never a hung request. */
export const STORE_TIMEOUT_MS = 2_000;

export type StoreFailure = 'store_unavailable' | 'store_timeout';

/** The store could not answer. A session is never treated as valid because of it. */
export class StoreError extends CodedError<StoreFailure> {
  override name = 'StoreError';
  /**
   * What the connection last reported, as a stable code for the logs (`ECONNREFUSED`,
   * `SELF_SIGNED_CERT_IN_CHAIN`, Redis's `WRONGPASS`…): never a message, a URL or a password.
   */
  readonly detail?: string;
  constructor(reason: StoreFailure, options?: { cause?: unknown; detail?: string }) {
    super(reason, options);
    if (options?.detail) this.detail = options.detail;
  }
}

/** A new session id: 256 bits from the platform CSPRNG, base64url. */
export function newSessionId(): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
}
