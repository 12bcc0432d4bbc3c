import type * as oauth from 'oauth4webapi';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toTokenSet } from '@/lib/client/tokens';

const NOW_MS = 1_700_000_000_500;
const NOW_S = 1_700_000_000;

function response(fields: Partial<oauth.TokenEndpointResponse> = {}): oauth.TokenEndpointResponse {
  return { access_token: 'at-new', token_type: 'bearer', ...fields };
}

const previous = { idToken: 'id-old', refreshToken: 'rt-old', scope: 'openid notes:read' };

describe('toTokenSet', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW_MS);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('takes every field from a full response', () => {
    const set = toTokenSet(
      response({ id_token: 'id-new', refresh_token: 'rt-new', scope: 'openid', expires_in: 3600 }),
      previous,
    );
    expect(set).toEqual({
      idToken: 'id-new',
      accessToken: 'at-new',
      accessTokenExpiresAt: NOW_S + 3600,
      tokensReceivedAt: NOW_S,
      scope: 'openid',
      refreshToken: 'rt-new',
    });
  });

  it('keeps the previous refresh token, ID token and scope when the response omits them', () => {
    const set = toTokenSet(response({ expires_in: 60 }), previous);
    expect(set.refreshToken).toBe('rt-old');
    expect(set.idToken).toBe('id-old');
    expect(set.scope).toBe('openid notes:read');
    expect(set.accessToken).toBe('at-new');
  });

  it('computes the expiry in whole epoch seconds from expires_in', () => {
    expect(toTokenSet(response({ id_token: 'id', expires_in: 120 })).accessTokenExpiresAt).toBe(
      NOW_S + 120,
    );
    expect(toTokenSet(response({ id_token: 'id', expires_in: 0 })).accessTokenExpiresAt).toBe(
      NOW_S,
    );
  });

  it('assumes a short lifetime without expires_in', () => {
    const expiresAt = toTokenSet(response({ id_token: 'id' })).accessTokenExpiresAt;
    expect(expiresAt).toBeGreaterThan(NOW_S);
    expect(expiresAt).toBeLessThanOrEqual(NOW_S + 3600);
  });

  it('has no refresh token and an empty scope when neither response nor previous has one', () => {
    const set = toTokenSet(response({ id_token: 'id' }));
    expect(set.refreshToken).toBeUndefined();
    expect(set.scope).toBe('');
  });

  it('throws without any ID token', () => {
    expect(() => toTokenSet(response())).toThrow('no ID token');
    expect(() => toTokenSet(response(), { idToken: '', scope: 'openid' })).toThrow('no ID token');
  });
});
