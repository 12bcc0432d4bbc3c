/** Any /api path without an endpoint, whatever the method: a JSON 404 (lib/resource-server/errors.ts). */
import { notFound } from '@/lib/resource-server/errors';

export const dynamic = 'force-dynamic';

const answer = () => notFound();
export {
  answer as GET,
  answer as POST,
  answer as PUT,
  answer as PATCH,
  answer as DELETE,
  answer as OPTIONS,
};
