/**
 * Who a request comes from, for rate limits. Web APIs only.
 *
 * Only a header that a trusted proxy in front of the app sets, overwriting whatever the client
 * sent, names the client (RATE_LIMIT_CLIENT_HEADER; on Vercel `x-real-ip`, which Vercel's edge
 * sets). Never `x-forwarded-for` as it arrives at `next start`: Next keeps one the client sent
 * and adds the connection's address only when there is none, so a client could pick a new
 * address for every request. Without such a header there is no client address, and the
 * per-address limits do not apply (docs/security.md, "Rate limits").
 */
export function clientAddress(headers: Headers, header: string | undefined): string | undefined {
  if (!header) return undefined;
  // A proxy that appends rather than overwrites: the last value is the one it wrote.
  const value = headers.get(header)?.split(',').at(-1)?.trim();
  return value || undefined;
}
