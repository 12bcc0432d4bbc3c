/**
 * GET /auth/unavailable: what a page shows while the session store cannot answer (store mode).
 * A route handler, so that the answer is a real 503 with Retry-After, which monitoring and
 * caches understand; plain HTML under the route handlers' deny-all CSP. The session is neither
 * trusted nor ended meanwhile.
 */
export const dynamic = 'force-dynamic';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sessions are unavailable right now</title></head>
<body>
<h1>Sessions are unavailable right now</h1>
<p>The server could not reach its session store. Nothing was changed, and you are still signed in; try again in a moment.</p>
<p><a href="/dashboard">Try again</a> · <a href="/">Home</a></p>
</body></html>`;

export function GET(): Response {
  return new Response(PAGE, {
    status: 503,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Retry-After': '5' },
  });
}
