/** BENCH=1 only: the same trivial page behind the Edge guard (it needs a session cookie). */
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { benchEnabled } from '@/lib/bench/enabled';

export default async function BenchGuarded() {
  await connection();
  if (!benchEnabled()) notFound();
  return <p>guarded</p>;
}
