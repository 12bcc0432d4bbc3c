/**
 * JWT access tokens that recently passed every check of ./access-token.ts, per verifier: a client
 * sends the same token with every call for its whole lifetime, and its signature is the costliest
 * step of an /api request. Keyed by the exact token; only a token that passed everything is
 * remembered. Its lifetimes (`exp`, `nbf`, the age of `iat`) are checked again on every use, and
 * an entry is kept MAX_AGE_MS at most, so a key the issuer withdraws stops working here within
 * that time (as with introspection's cache). Bounded in entries. Erasable TypeScript: the doctor
 * runs this code under Node's type stripping.
 */
import type { AccessToken } from './access-token.ts';

const MAX_ENTRIES = 1_000;
const MAX_AGE_MS = 60_000;

export interface Lifetimes {
  exp: number;
  nbf?: number;
  iat: number;
}

export interface VerifiedTokens {
  recall(token: string, nowS?: number): AccessToken | undefined;
  remember(token: string, result: AccessToken, lifetimes: Lifetimes): void;
}

export function createVerifiedTokens(options: {
  clockToleranceS: number;
  maxTokenAgeS: number;
}): VerifiedTokens {
  const entries = new Map<string, { result: AccessToken; lifetimes: Lifetimes; until: number }>();
  return {
    recall(token, nowS = Date.now() / 1000) {
      const hit = entries.get(token);
      if (!hit) return undefined;
      const { exp, nbf, iat } = hit.lifetimes;
      const tolerance = options.clockToleranceS;
      const live =
        hit.until > nowS * 1000 &&
        exp + tolerance > nowS && // RFC 7519 §4.1.4
        (nbf === undefined || nbf - tolerance <= nowS) && // §4.1.5
        nowS - iat <= options.maxTokenAgeS + tolerance; // as jose's maxTokenAge
      if (live) return hit.result;
      entries.delete(token); // verified again from scratch, for the right reason code
      return undefined;
    },
    remember(token, result, lifetimes) {
      entries.delete(token);
      entries.set(token, { result, lifetimes, until: Date.now() + MAX_AGE_MS });
      while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
    },
  };
}
