/**
 * `npm run bench` (bench/whole-request.ts) measures whole requests against the production build,
 * with a few trivial routes to compare the real ones with: /bench/public, /bench/guarded,
 * /bench/checked and /api/bench/empty. They exist only with BENCH=1; otherwise a 404.
 * Web APIs only (the Edge guard reads it).
 */
export function benchEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return env.BENCH?.trim() === '1';
}

/** The bench's public page: what the guard lets through without a session, when BENCH=1. */
export const BENCH_PUBLIC_PAGE = '/bench/public';
