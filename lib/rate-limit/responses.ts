/** 429 Too Many Requests (RFC 6585 §4), with Retry-After (RFC 9110 §10.2.3). Web APIs only. */
import { logEvent } from '../log';
import { clientAddress } from './client';
import { limiter, type RateLimit } from './limiter';

/**
 * Counts this request against the client's `scope` limit: undefined when it may go on, else the
 * 429 to answer (the first refusal of a window is logged, with the scope, never the address).
 */
export function rateLimited(
  scope: 'auth' | 'api',
  settings: { rate?: RateLimit; clientHeader?: string },
  request: Request,
  as: 'json' | 'text',
): Response | undefined {
  const { rate, clientHeader } = settings;
  const address = clientAddress(request.headers, clientHeader);
  if (!rate || !address) return undefined; // no limit, or no trustworthy client address (./client.ts)
  const verdict = limiter(scope, rate).hit(address);
  if (verdict.allowed) return undefined;
  if (verdict.firstRefusal)
    logEvent('rate_limited', { scope, limit: rate.limit, windowS: rate.windowS });
  return tooManyRequests(verdict.retryAfterS, as);
}

export function tooManyRequests(retryAfterS: number, as: 'json' | 'text'): Response {
  const headers = { 'Cache-Control': 'no-store', 'Retry-After': String(retryAfterS) };
  const description = `Too many requests from this address: try again in ${retryAfterS} s.`;
  return as === 'json'
    ? Response.json(
        { error: 'too_many_requests', error_description: description },
        { status: 429, headers },
      )
    : new Response(description, {
        status: 429,
        headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' },
      });
}
