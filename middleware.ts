/**
 * Edge middleware: the page guard. Next 16 calls this file name deprecated in favour of
 * `proxy.ts`, which always runs on Node; the design asks for the Edge runtime, so it stays
 * `middleware.ts`. The logic lives in lib/guard.ts.
 */
import type { NextRequest } from 'next/server';
import { guard } from './lib/guard';

export function middleware(request: NextRequest) {
  return guard(request);
}

export const config = {
  // Not /api (the resource server reads bearer tokens only), /auth and /bff (they check the
  // session themselves), nor Next's assets and static files.
  matcher: ['/((?!api(?:/|$)|auth(?:/|$)|bff(?:/|$)|_next/|favicon\\.ico$|robots\\.txt$).*)'],
};
