/**
 * What the setup doctor's tests (./*.test.ts) share; a helper module, not a test file.
 *
 * The doctor (lib/doctor, scripts/doctor.ts) runs against the unit tests' fake OpenID provider
 * (../support/provider.ts), a real node:http server on 127.0.0.1. `setUpProvider()` starts one per
 * test file, configured as these tests need it:
 *
 * - a path issuer, `http://localhost:<port>/oidc` (discovery answers at the origin too);
 * - a JWKS with one key, RS256 under kid rs-1;
 * - the doctor's client (CLIENT_ID, CLIENT_SECRET) registered at the token endpoint, whose
 *   client-credentials grant answers with a JWT access token for that client.
 *
 * A test changes the discovery document (`provider.metadata`) or answers the token requests
 * itself (`provider.tokenEndpoint`); both are reset after each test, and so are the recorded
 * requests. Tokens to paste are signed by `provider.mint()`.
 *
 * Also here: the environment the doctor reads (`env`), and assertions on its findings.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Finding } from '@/lib/doctor/doctor';
import { API_AUDIENCE, startFakeProvider, type FakeProvider } from '../support/provider.ts';

export const CLIENT_ID = 'doctor-client';
export const CLIENT_SECRET = 'doctor-client-secret-0123456789-abcdef';

/** The provider of the running test file (setUpProvider). */
export let provider: FakeProvider;

/** Starts the provider before the file's tests, resets it after each, and stops it afterwards. */
export function setUpProvider(): void {
  beforeAll(async () => {
    provider = await startFakeProvider({
      path: '/oidc',
      publish: ['rs'],
      client: { id: CLIENT_ID, secret: CLIENT_SECRET },
    });
  });
  afterAll(() => provider.close());
  afterEach(() => {
    provider.metadata = {};
    provider.tokenEndpoint = undefined;
    provider.requests.length = 0;
  });
}

export function env(
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    API_AUDIENCE,
    // No SESSION_SECRET: none of the doctor's business.
    ...overrides,
  };
}

export function find(findings: Finding[], check: string): Finding {
  const found = findings.filter((f) => f.check === check);
  expect(
    found,
    `one "${check}" finding in:\n${findings.map((f) => `${f.status} ${f.check}: ${f.detail}`).join('\n')}`,
  ).toHaveLength(1);
  return found[0]!;
}

export function expectNoFailure(findings: Finding[]): void {
  const bad = findings.filter((f) => f.status === 'fail' || f.status === 'warn');
  expect(bad, bad.map((f) => `${f.status} ${f.check}: ${f.detail}`).join('\n')).toEqual([]);
}

export function expectNoLeak(findings: Finding[], ...secrets: string[]): void {
  const text = JSON.stringify(findings);
  for (const secret of secrets)
    expect(text.includes(secret), 'a finding shows a secret or a whole token').toBe(false);
}
