/** BENCH=1 only: the same trivial page behind the guard and the server's re-check (requireSession). */
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { benchEnabled } from '@/lib/bench/enabled';
import { requireSession } from '@/lib/session/session';

export default async function BenchChecked() {
  await connection();
  if (!benchEnabled()) notFound();
  const session = await requireSession('/bench/checked');
  return <p>checked {session.sub}</p>;
}
