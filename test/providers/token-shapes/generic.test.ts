/**
 * RFC 9068 as written, against the generic profile: the RFC's example token is accepted typed
 * at+JWT or application/at+jwt and refused typed JWT; a client-credentials token is read as a
 * machine's; the OIDC Core example ID token is refused, also with the API's audience. The tokens
 * are in ../vectors.ts; the issuer, the verifier and the checks are in ./harness.ts. Nothing is
 * mocked.
 */
import { describe, expect, it } from 'vitest';
import { API_AUDIENCE } from '../../support/provider.ts';
import * as V from '../vectors';
import { build, expectAccepted, refusal, setUpIssuer, verifierFor } from './harness';

setUpIssuer();

// generic: RFC 9068 as written.

describe('generic: RFC 9068 (https://www.rfc-editor.org/rfc/rfc9068)', () => {
  // RFC 9068 §3 Figure 2 (header typ "at+JWT": §2.1 / RFC 7515 §4.1.9, compared case-insensitively).
  it('accepts the RFC 9068 §3 example token (typ at+JWT)', async () => {
    const token = await build(V.RFC9068_ACCESS, { aud: API_AUDIENCE });
    await expectAccepted(verifierFor('generic'), token, {
      sub: '5ba552d67',
      client_id: 's6BhdRkqt3',
      scopes: ['openid', 'profile', 'reademail'],
      roles: [],
      kind: 'user',
    });
  });

  // RFC 9068 §2.1: "application/at+jwt" is the full media type; §4: resource servers MUST accept it.
  it('accepts it typed application/at+jwt', async () => {
    const token = await build(V.RFC9068_ACCESS, {
      aud: API_AUDIENCE,
      header: { typ: 'application/at+jwt' },
    });
    await expectAccepted(verifierFor('generic'), token, {
      sub: '5ba552d67',
      client_id: 's6BhdRkqt3',
      scopes: ['openid', 'profile', 'reademail'],
      roles: [],
      kind: 'user',
    });
  });

  // RFC 9068 §4: "verify that the typ header value is at+jwt or application/at+jwt and reject
  // tokens carrying any other value": the generic profile admits only at+jwt.
  it('refuses the same payload typed JWT (wrong_typ)', async () => {
    const token = await build(V.RFC9068_ACCESS, { aud: API_AUDIENCE, header: { typ: 'JWT' } });
    expect(await refusal(verifierFor('generic'), token)).toBe('wrong_typ');
  });

  // RFC 9068 §2.2: client credentials, `sub` "SHOULD correspond to an identifier the authorization
  // server uses to indicate the client application".
  it('accepts a client-credentials token (sub == client_id) as a machine token', async () => {
    const token = await build(V.RFC9068_ACCESS, {
      aud: API_AUDIENCE,
      claims: { sub: 's6BhdRkqt3', scope: 'reademail' },
    });
    await expectAccepted(verifierFor('generic'), token, {
      sub: 's6BhdRkqt3',
      client_id: 's6BhdRkqt3',
      scopes: ['reademail'],
      roles: [],
      kind: 'machine',
    });
  });

  // OIDC Core §2 example ID token, header of Appendix A (no typ).
  it('refuses the OIDC Core §2 example ID token (id_token_presented)', async () => {
    const token = await build(V.OIDC_CORE_ID_TOKEN, { aud: 's6BhdRkqt3' });
    expect(await refusal(verifierFor('generic'), token)).toBe('id_token_presented');
  });

  // The same ID token with `aud` = the API: refused by the typ rule (not at+jwt), logged as an ID token.
  it('refuses it even with the API audience (typ rule)', async () => {
    const token = await build(V.OIDC_CORE_ID_TOKEN, { aud: API_AUDIENCE });
    expect(await refusal(verifierFor('generic'), token)).toBe('id_token_presented');
  });
});
