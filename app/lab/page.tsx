/**
 * The attack lab: each card names a common mistake and sends that attack, for real, against
 * this app (POST /bff/lab runs it on the server, over HTTP). On in development; in production
 * only with LAB=on, and a 404 otherwise.
 */
import { notFound } from 'next/navigation';
import { ATTACKS } from '@/lib/lab/attacks';
import { labEnabled } from '@/lib/lab/enabled';
import { config } from '@/lib/config';
import { requireSession } from '@/lib/session/session';
import { MachinePanel } from './machine-panel';
import { RunAttack } from './run-attack';
import { LOCAL_IDP } from '@/lib/config';
import { MACHINE_SCOPE } from '@/lib/client/machine';
import { appUrl } from '@/lib/origin';

/** The machine panel's curl commands, for this app and the local IdP. */
function curl(): string {
  const token = new URL('/token', config().issuer).href;
  return [
    `TOKEN=$(curl -s -u ${LOCAL_IDP.machineClientId}:${LOCAL_IDP.machineClientSecret} \\`,
    `  -d grant_type=client_credentials -d scope=${MACHINE_SCOPE} ${token} \\`,
    `  | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).access_token')`,
    `curl -i -H "Authorization: Bearer $TOKEN" ${appUrl('/api/stats').href}   # 200`,
    `curl -i -H "Authorization: Bearer $TOKEN" ${appUrl('/api/notes').href}   # 403: notes belong to users`,
  ].join('\n');
}

export const dynamic = 'force-dynamic';

export default async function Lab() {
  if (!labEnabled()) notFound();
  await requireSession('/lab');
  const machineClient = config().localIdp;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Attack lab</h1>
        <p className="mt-2 max-w-3xl text-sm text-slate-600">
          Each card is a mistake from the OAuth 2.0 and OpenID Connect literature.{' '}
          <strong>Run</strong> sends that attack for real, from this app&apos;s server, over HTTP,
          against this app&apos;s own endpoints, with what your browser and session hold. It shows
          what the app answered, and the reason code the app logged when it can be seen from outside
          (for <code>/api</code>, its rejection counters). The lab imports none of the code it
          attacks (<code>lib/lab/attacks.ts</code>), and it is off in production unless{' '}
          <code>LAB=on</code>.
        </p>
      </div>
      {machineClient && <MachinePanel curl={curl()} />}
      <div className="grid gap-4 md:grid-cols-2">
        {ATTACKS.map((attack) => (
          <section
            key={attack.id}
            className="rounded-xl border border-slate-200 bg-white p-5"
            data-testid={`lab-${attack.id}`}
          >
            <h2 className="font-semibold">{attack.title}</h2>
            <p className="mt-1 text-sm text-slate-600">{attack.mistake}</p>
            <p className="mt-1 text-xs text-slate-400">{attack.reference}</p>
            <p className="mt-2 text-sm">
              Expected: <span className="font-medium">{attack.expected}</span>
            </p>
            {attack.needs === 'local-idp' && !machineClient ? (
              <p className="mt-3 text-sm text-amber-800">Needs the local identity provider.</p>
            ) : (
              <RunAttack id={attack.id} />
            )}
          </section>
        ))}
      </div>
    </div>
  );
}
