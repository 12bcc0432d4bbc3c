/**
 * POST /bff/lab?attack=<id>: runs one attack of the lab (lib/lab/attacks.ts) against this app,
 * over HTTP, with what the signed-in user's own browser and session hold, and answers what the
 * app did. Same-origin, with a custom header, like every BFF route; 404 when the lab is off.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { config, LOCAL_IDP } from '@/lib/config';
import { ATTACKS } from '@/lib/lab/attacks';
import { refuseLabRequest } from '@/lib/lab/request';
import { logEvent } from '@/lib/log';
import { getSession } from '@/lib/session/session';

export const dynamic = 'force-dynamic';

export async function POST(request: NextRequest) {
  const refused = refuseLabRequest(request);
  if (refused) return refused;
  const attack = ATTACKS.find((a) => a.id === request.nextUrl.searchParams.get('attack'));
  if (!attack) return NextResponse.json({ error: 'unknown_attack' }, { status: 400 });
  const session = await getSession().catch(() => undefined);
  if (!session)
    return NextResponse.json(
      { error: 'signed_out', error_description: 'Sign in again.' },
      { status: 401 },
    );

  const { localIdp, issuer, sessionStore } = config();
  const machineClient = localIdp
    ? { id: LOCAL_IDP.machineClientId, secret: LOCAL_IDP.machineClientSecret }
    : undefined;
  if (attack.needs === 'local-idp' && !localIdp) {
    return NextResponse.json(
      { error: 'unavailable', error_description: 'This card needs the local identity provider.' },
      { status: 409 },
    );
  }
  try {
    const result = await attack.run({
      idToken: session.idToken,
      accessToken: session.accessToken,
      cookies: request.headers.get('cookie') ?? '',
      issuer: issuer.href,
      machineClient,
      sessionMode: sessionStore.kind,
    });
    logEvent('lab_attack', { attack: attack.id, status: result.status, stopped: result.stopped });
    return NextResponse.json(result);
  } catch (err) {
    logEvent('lab_attack_failed', {
      attack: attack.id,
      cause: err instanceof Error ? err.message : 'unknown',
    });
    return NextResponse.json(
      { error: 'attack_failed', error_description: 'The attack could not be sent.' },
      { status: 502 },
    );
  }
}
