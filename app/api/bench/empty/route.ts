/** BENCH=1 only: an empty route handler under /api, to compare GET /api/me with. */
import { benchEnabled } from '@/lib/bench/enabled';

export const dynamic = 'force-dynamic';

export function GET() {
  if (!benchEnabled()) return Response.json({ error: 'not_found' }, { status: 404 });
  return Response.json({ ok: true });
}
