import type { NextConfig } from 'next';
import { ensureDevSessionSecret } from './lib/dev-session-secret';
import { API_CSP } from './lib/security-headers';

// `next dev` without SESSION_SECRET: generate a development one (never in production).
ensureDevSessionSecret();

const nextConfig: NextConfig = {
  poweredByHeader: false,
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          // The Content-Security-Policy (nonce-based for pages) is set per request in lib/guard.ts.
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          // A page another site opens gets no handle on this one (window.opener), and this one
          // none on the pages it opens: no cross-window attacks on a signed-in tab.
          { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
          // HTTPS only, for two years, once a browser has seen the site over HTTPS (RFC 6797).
          ...(process.env.NODE_ENV === 'production'
            ? [{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' }]
            : []),
        ],
      },
      // Route handlers the Edge guard does not run on (middleware.ts): a policy that allows nothing.
      ...['/api/:path*', '/api', '/bff/:path*'].map((source) => ({
        source,
        headers: [{ key: 'Content-Security-Policy', value: API_CSP }],
      })),
      // Answers about tokens and sessions are never stored by a browser or a shared cache: every
      // response of /api, /bff and /auth, whatever its status, including Next's own 404 and 405.
      // Set here, in one place, rather than by each handler. (Responses the Edge guard makes
      // itself, and the redirect helper it shares with the handlers, lib/origin.ts, set it too.)
      ...['/api', '/api/:path*', '/bff/:path*', '/auth/:path*'].map((source) => ({
        source,
        headers: [{ key: 'Cache-Control', value: 'no-store' }],
      })),
      {
        // The authorization code and state travel through these URLs: never leak them in Referer.
        source: '/auth/:path*',
        headers: [{ key: 'Referrer-Policy', value: 'no-referrer' }],
      },
    ];
  },
};

export default nextConfig;
