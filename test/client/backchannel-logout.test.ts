/**
 * Validating a back-channel logout token (OpenID Connect Back-Channel Logout 1.0 §2.6), with real
 * signatures: a valid token, then one per rule that must refuse it.
 */
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BACKCHANNEL_LOGOUT_EVENT,
  LogoutTokenError,
  validateLogoutToken,
  type LogoutTokenChecks,
} from '@/lib/client/backchannel-logout';

const ISSUER = 'https://idp.example';
const CLIENT = 'web-app';
let keys: LogoutTokenChecks['keys'];
let signingKey: CryptoKey;
let otherKey: CryptoKey;
let ecKey: CryptoKey;

beforeAll(async () => {
  const rs = await generateKeyPair('RS256');
  const es = await generateKeyPair('ES256');
  signingKey = rs.privateKey;
  ecKey = es.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  keys = createLocalJWKSet({
    keys: [
      { ...(await exportJWK(rs.publicKey)), kid: 'rs', alg: 'RS256' },
      { ...(await exportJWK(es.publicKey)), kid: 'es', alg: 'ES256' },
    ],
  });
});

function checks(seen = new Set<string>()): LogoutTokenChecks {
  return {
    issuer: ISSUER,
    clientId: CLIENT,
    algorithm: 'RS256',
    keys,
    firstUse: async (jti) => {
      if (seen.has(jti)) return false;
      seen.add(jti);
      return true;
    },
  };
}

const now = () => Math.floor(Date.now() / 1000);

/** A logout token as oidc-provider issues one; `claims` entries set to undefined are removed. */
async function logoutToken(
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  key?: CryptoKey,
): Promise<string> {
  const payload: Record<string, unknown> = {
    iss: ISSUER,
    aud: CLIENT,
    iat: now(),
    exp: now() + 120,
    jti: crypto.randomUUID(),
    sub: 'alice',
    sid: 'provider-session-1',
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    ...claims,
  };
  for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
  const protectedHeader = { alg: 'RS256', kid: 'rs', typ: 'logout+jwt', ...header } as {
    alg: string;
  };
  for (const [k, v] of Object.entries(protectedHeader))
    if (v === undefined) delete (protectedHeader as Record<string, unknown>)[k];
  return new SignJWT(payload as JWTPayload)
    .setProtectedHeader(protectedHeader)
    .sign(key ?? signingKey);
}

async function reason(token: string, c = checks()): Promise<string> {
  const error = await validateLogoutToken(token, c).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(LogoutTokenError);
  return (error as LogoutTokenError).reason;
}

describe('validateLogoutToken', () => {
  it('accepts a valid logout token and names the sessions to end', async () => {
    expect(await validateLogoutToken(await logoutToken(), checks())).toMatchObject({
      sub: 'alice',
      sid: 'provider-session-1',
    });
    // sub alone, sid alone, no typ header, typ with the media-type prefix: all valid (§2.4).
    expect(
      await validateLogoutToken(await logoutToken({ sid: undefined }), checks()),
    ).toMatchObject({ sub: 'alice', sid: undefined });
    expect(
      await validateLogoutToken(await logoutToken({ sub: undefined }), checks()),
    ).toMatchObject({ sub: undefined, sid: 'provider-session-1' });
    expect(
      await validateLogoutToken(await logoutToken({}, { typ: undefined }), checks()),
    ).toMatchObject({ sub: 'alice' });
    expect(
      await validateLogoutToken(await logoutToken({}, { typ: 'application/logout+jwt' }), checks()),
    ).toMatchObject({ sub: 'alice' });
    expect(
      await validateLogoutToken(await logoutToken({ exp: undefined }), checks()),
    ).toMatchObject({ sub: 'alice' });
  });

  it.each<[string, () => Promise<string>, string]>([
    [
      'signed by a key the issuer does not publish',
      () => logoutToken({}, {}, otherKey),
      'bad_signature',
    ],
    [
      'an algorithm other than the pinned one (ES256, published)',
      () => logoutToken({}, { alg: 'ES256', kid: 'es' }, ecKey),
      'alg_not_allowed',
    ],
    ['another issuer', () => logoutToken({ iss: 'https://evil.example' }), 'wrong_issuer'],
    ['another audience', () => logoutToken({ aud: 'another-client' }), 'wrong_audience'],
    ['expired', () => logoutToken({ iat: now() - 300, exp: now() - 120 }), 'expired'],
    [
      'issued more than 5 minutes ago',
      () => logoutToken({ iat: now() - 3600, exp: now() + 60 }),
      'too_old',
    ],
    ['issued in the future', () => logoutToken({ iat: now() + 3600 }), 'too_old'],
    ['no iat', () => logoutToken({ iat: undefined }), 'missing_claim'],
    ['no jti', () => logoutToken({ jti: undefined }), 'missing_claim'],
    ['no events', () => logoutToken({ events: undefined }), 'missing_claim'],
    ['typ of an ID token (JWT)', () => logoutToken({}, { typ: 'JWT' }), 'wrong_typ'],
    [
      'events without the back-channel logout event',
      () => logoutToken({ events: { 'http://schemas.openid.net/event/other': {} } }),
      'no_logout_event',
    ],
    [
      'the event as a string, not a JSON object',
      () => logoutToken({ events: { [BACKCHANNEL_LOGOUT_EVENT]: 'yes' } }),
      'no_logout_event',
    ],
    [
      'events as an array',
      () => logoutToken({ events: [BACKCHANNEL_LOGOUT_EVENT] }),
      'no_logout_event',
    ],
    ['neither sub nor sid', () => logoutToken({ sub: undefined, sid: undefined }), 'no_sub_or_sid'],
    ['sub as a number', () => logoutToken({ sub: 42 }), 'no_sub_or_sid'],
    ['an ID token: nonce present', () => logoutToken({ nonce: 'n-0S6_WzA2Mj' }), 'nonce_present'],
  ])('refuses a logout token %s', async (_name, build, expected) => {
    expect(await reason(await build())).toBe(expected);
  });

  it('refuses a replayed jti (§2.6 step 8), even after the first use succeeded', async () => {
    const seen = new Set<string>();
    const token = await logoutToken();
    await validateLogoutToken(token, checks(seen));
    expect(await reason(token, checks(seen))).toBe('replayed');
  });

  it('refuses something that is not a JWT', async () => {
    for (const junk of ['', 'not-a-jwt', 'a.b.c', `${await logoutToken()}x`])
      expect(await reason(junk)).toMatch(/malformed|bad_signature/);
  });
});
