/**
 * The lab's routes (/bff/lab, /bff/machine) take requests only from the lab page: 404 when the
 * lab is off, then same-origin with the lab's custom header (as every BFF route), never cached.
 */
import { NextResponse } from 'next/server';
import { apiGate } from '../deployment-setup';
import { isSameOriginRequest } from '../origin';
import { LAB_HEADER, labEnabled } from './enabled';

/** The response refusing this request, or undefined when the lab may serve it. */
export function refuseLabRequest(request: Request): Response | undefined {
  const gated = apiGate();
  if (gated) return gated;
  if (!labEnabled()) return NextResponse.json({ error: 'not_found' }, { status: 404 });
  if (request.headers.get(LAB_HEADER) !== '1' || !isSameOriginRequest(request)) {
    return NextResponse.json(
      { error: 'forbidden', error_description: 'Same-origin requests from the lab page only.' },
      { status: 403 },
    );
  }
  return undefined;
}
