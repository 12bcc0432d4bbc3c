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
  // Every path but Next's assets and the files in public/. lib/guard.ts guards pages only: /api
  // (bearer tokens), /auth and /bff (they check the session themselves) pass through after the
  // request-hygiene check.
  matcher: ['/((?!_next/static/|_next/image/|favicon\\.ico$|icon\\.svg$|og\\.png$|robots\\.txt$).*)'],
};
