import { describe, expect, it } from 'vitest';
import { needsRefresh, REFRESH_SKEW_S } from '@/lib/client/refresh';

describe('needsRefresh', () => {
  const now = 1_700_000_000;

  it('is true once the access token has expired', () => {
    expect(needsRefresh(now - 1, now)).toBe(true);
    expect(needsRefresh(now - 3600, now)).toBe(true);
    expect(needsRefresh(now, now)).toBe(true);
  });

  it('is true within REFRESH_SKEW_S of expiry', () => {
    expect(REFRESH_SKEW_S).toBeGreaterThan(0);
    expect(needsRefresh(now + 1, now)).toBe(true);
    expect(needsRefresh(now + REFRESH_SKEW_S - 1, now)).toBe(true);
    expect(needsRefresh(now + REFRESH_SKEW_S, now)).toBe(true);
  });

  it('is false well before expiry', () => {
    expect(needsRefresh(now + REFRESH_SKEW_S + 1, now)).toBe(false);
    expect(needsRefresh(now + 3600, now)).toBe(false);
  });

  it('defaults "now" to the current time', () => {
    const current = Date.now() / 1000;
    expect(needsRefresh(current + 3600)).toBe(false);
    expect(needsRefresh(current - 1)).toBe(true);
  });
});
