/**
 * Fixed-window request counters per client, in this process's memory. Web APIs only: the Edge
 * guard counts /auth requests, the resource server counts refused /api requests.
 *
 * Per process: on many instances (Vercel, several containers) each counts on its own, so the
 * real bound is the limit times the instances. That is why the platform's firewall is the place
 * for a limit that must hold (docs/security.md, "Rate limits"); these keep one instance, and
 * `npm start` on a single host, from being flooded.
 *
 * Bounded: at most MAX_KEYS clients are remembered per limiter; beyond that the oldest window is
 * forgotten, so a flood of spoofed addresses costs memory only up to that bound.
 */
export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowS: number;
}

export interface Verdict {
  allowed: boolean;
  /** The first refusal of this client's window: log it once, not for every request of a flood. */
  firstRefusal: boolean;
  /** Seconds until the client's window ends (for Retry-After), at least 1. */
  retryAfterS: number;
}

const MAX_KEYS = 10_000;

export interface Limiter {
  hit(key: string, now?: number): Verdict;
}

function createLimiter({ limit, windowS }: RateLimit): Limiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    hit(key, now = Date.now()) {
      let window = windows.get(key);
      if (!window || now - window.start >= windowS * 1000) {
        windows.delete(key);
        window = { start: now, count: 0 };
        windows.set(key, window);
        while (windows.size > MAX_KEYS) windows.delete(windows.keys().next().value as string);
      }
      window.count++;
      const retryAfterS = Math.max(1, Math.ceil((window.start + windowS * 1000 - now) / 1000));
      return {
        allowed: window.count <= limit,
        firstRefusal: window.count === limit + 1,
        retryAfterS,
      };
    },
  };
}

/**
 * The limiter named `name` for this process, created on first use. Kept on globalThis: Next
 * bundles a module once per route, and a module-level map would count each route on its own.
 */
export function limiter(name: string, rate: RateLimit): Limiter {
  const all = ((
    globalThis as { __rateLimiters?: Map<string, { rate: string; limiter: Limiter }> }
  ).__rateLimiters ??= new Map());
  const key = `${rate.limit}/${rate.windowS}`;
  let entry = all.get(name);
  if (!entry || entry.rate !== key) {
    entry = { rate: key, limiter: createLimiter(rate) };
    all.set(name, entry);
  }
  return entry.limiter;
}
