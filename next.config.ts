import type { NextConfig } from 'next';
import { ensureDevSessionSecret } from './lib/dev-session-secret';

// `next dev` without SESSION_SECRET: generate a development one (never in production).
ensureDevSessionSecret();

const nextConfig: NextConfig = {
  poweredByHeader: false,
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Content-Security-Policy', value: "frame-ancestors 'none'" },
          { key: 'X-Frame-Options', value: 'DENY' },
        ],
      },
      {
        // The authorization code and state travel through these URLs: never leak them in Referer.
        source: '/auth/:path*',
        headers: [{ key: 'Referrer-Policy', value: 'no-referrer' }],
      },
    ];
  },
};

export default nextConfig;
