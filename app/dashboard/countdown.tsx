'use client';
/** A live countdown to a time (epoch seconds): how long the access token has left. */
import { useEffect, useState } from 'react';

function left(expiresAt: number): string {
  const s = Math.max(0, expiresAt - Math.floor(Date.now() / 1000));
  if (s === 0) return 'expired: the next page or BFF call refreshes it first';
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

export function Countdown({ expiresAt }: { expiresAt: number }) {
  const [text, setText] = useState(() => left(expiresAt));
  useEffect(() => {
    const timer = setInterval(() => setText(left(expiresAt)), 1_000);
    return () => clearInterval(timer);
  }, [expiresAt]);
  // The server's render and the browser's first tick may differ by a second.
  return (
    <span data-testid="access-token-countdown" suppressHydrationWarning>
      {text}
    </span>
  );
}
