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
  // Pages and /auth; not Next's assets, the files in public/, /bff or /api, where it has nothing
  // to do: they check their own credentials, next.config.ts sets their headers, and
  // lib/deployment-setup.ts's apiGate() is their setup page. The one exception is /api/notes/…,
  // a dynamic segment: Next answers a malformed percent-encoding there with a 500, and the
  // guard's request-hygiene check makes it a 400 first.
  matcher: [
    '/((?!_next/static/|_next/image/|favicon\\.ico$|icon\\.svg$|og\\.png$|robots\\.txt$|bff(?:/|$)|api(?:/|$)(?!notes/)).*)',
  ],
};
