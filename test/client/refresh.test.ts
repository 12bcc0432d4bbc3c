import { describe, expect, it } from 'vitest';
import {
  isRefusal,
  MIN_REFRESH_INTERVAL_S,
  needsRefresh,
  REFRESH_SKEW_S,
} from '@/lib/client/refresh';

describe('needsRefresh', () => {
  const now = 1_700_000_000;
  /** Tokens received an hour ago (their lifetime is long), expiring at `exp`. */
  const old = (exp: number) => ({ accessTokenExpiresAt: exp, tokensReceivedAt: now - 3600 });

  it('is true once the access token has expired', () => {
    expect(needsRefresh(old(now - 1), now)).toBe(true);
    expect(needsRefresh(old(now - 3600), now)).toBe(true);
    expect(needsRefresh(old(now), now)).toBe(true);
  });

  it('is true within REFRESH_SKEW_S of expiry', () => {
    expect(REFRESH_SKEW_S).toBeGreaterThan(0);
    expect(needsRefresh(old(now + 1), now)).toBe(true);
    expect(needsRefresh(old(now + REFRESH_SKEW_S - 1), now)).toBe(true);
    expect(needsRefresh(old(now + REFRESH_SKEW_S), now)).toBe(true);
  });

  it('is false well before expiry', () => {
    expect(needsRefresh(old(now + REFRESH_SKEW_S + 1), now)).toBe(false);
    expect(needsRefresh(old(now + 3600), now)).toBe(false);
  });

  it('treats a session without tokensReceivedAt (older versions) as long-lived tokens', () => {
    expect(needsRefresh({ accessTokenExpiresAt: now + 1 }, now)).toBe(true);
    expect(needsRefresh({ accessTokenExpiresAt: now + 3600 }, now)).toBe(false);
  });

  // A token that lives REFRESH_SKEW_S or less used to be "due" the moment it arrived: every page
  // went to /auth/refresh and back, refreshing at the provider on every hop (a redirect loop).
  it.each([1, 2, 5, 10, 20, 30, 45, 60, 300])(
    'a fresh token that lives %i s is not due on arrival',
    (lifetime) => {
      expect(
        needsRefresh({ accessTokenExpiresAt: now + lifetime, tokensReceivedAt: now }, now),
      ).toBe(false);
      expect(
        needsRefresh({ accessTokenExpiresAt: now + lifetime, tokensReceivedAt: now - 1 }, now),
      ).toBe(false);
    },
  );

  it.each([10, 20, 30, 40])('a %i s token is due once half of its lifetime is left', (lifetime) => {
    const received = now - lifetime / 2 - 1;
    const exp = received + lifetime;
    const tokens = { accessTokenExpiresAt: exp, tokensReceivedAt: received };
    expect(needsRefresh(tokens, received + MIN_REFRESH_INTERVAL_S + 0.5)).toBe(
      lifetime / 2 <= MIN_REFRESH_INTERVAL_S + 0.5,
    );
    expect(needsRefresh(tokens, exp - lifetime / 2)).toBe(true);
    expect(needsRefresh(tokens, exp + 1)).toBe(true);
  });

  it('never refreshes tokens younger than MIN_REFRESH_INTERVAL_S, even expired ones: at most one refresh per navigation', () => {
    expect(
      needsRefresh(
        { accessTokenExpiresAt: now, tokensReceivedAt: now },
        now + MIN_REFRESH_INTERVAL_S - 0.5,
      ),
    ).toBe(false);
    expect(
      needsRefresh(
        { accessTokenExpiresAt: now, tokensReceivedAt: now },
        now + MIN_REFRESH_INTERVAL_S,
      ),
    ).toBe(true);
  });

  it('defaults "now" to the current time', () => {
    const current = Date.now() / 1000;
    expect(
      needsRefresh({ accessTokenExpiresAt: current + 3600, tokensReceivedAt: current - 60 }),
    ).toBe(false);
    expect(
      needsRefresh({ accessTokenExpiresAt: current - 1, tokensReceivedAt: current - 60 }),
    ).toBe(true);
  });
});

describe('isRefusal (RFC 6749 §5.2)', () => {
  it.each([400, 401, 403, 404, 405, 410, 499])('%i ends the session', (status) =>
    expect(isRefusal(status)).toBe(true),
  );
  it.each([200, 302, 429, 500, 502, 503, 504])(
    '%i is not a refusal (an outage keeps the session)',
    (status) => expect(isRefusal(status)).toBe(false),
  );
});
