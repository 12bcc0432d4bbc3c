/** BENCH=1 only: a trivial dynamic page, public (the guard lets it through without a session). */
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { benchEnabled } from '@/lib/bench/enabled';

export default async function BenchPublic() {
  await connection(); // dynamic, like the app's pages
  if (!benchEnabled()) notFound();
  return <p>public</p>;
}
