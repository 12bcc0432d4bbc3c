import type { Metadata } from 'next';
import Link from 'next/link';
import { appOrigin } from '@/lib/config';
import './globals.css';

const TITLE = 'next-oidc-reference';
const DESCRIPTION = 'OAuth 2.0 + OpenID Connect done right in Next.js';

/** Per request: the Open Graph image's absolute URL comes from the configured origin. */
export function generateMetadata(): Metadata {
  return {
    metadataBase: appOrigin(),
    title: TITLE,
    description: DESCRIPTION,
    icons: {
      icon: [
        { url: '/favicon.ico', sizes: '32x32' },
        { url: '/icon.svg', type: 'image/svg+xml' },
      ],
    },
    openGraph: {
      title: TITLE,
      description: DESCRIPTION,
      type: 'website',
      images: [{ url: '/og.png', width: 1200, height: 630, alt: TITLE }],
    },
    twitter: { card: 'summary_large_image', images: ['/og.png'] },
  };
}

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <header className="border-b border-slate-200 bg-white">
          <nav className="mx-auto flex max-w-5xl items-center justify-between px-6 py-4">
            <Link href="/" className="font-semibold tracking-tight">
              next-oidc-reference
            </Link>
            <span className="text-sm text-slate-500">
              ID token = who you are · access token = what you may do
            </span>
          </nav>
        </header>
        <main className="mx-auto max-w-5xl px-6 py-10">{children}</main>
      </body>
    </html>
  );
}
