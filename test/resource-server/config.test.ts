import { describe, expect, it } from 'vitest';
import { ConfigError, readResourceServerConfig } from '@/lib/config';

function error(env: Record<string, string>): ConfigError {
  try {
    readResourceServerConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('readResourceServerConfig did not throw');
}

describe('readResourceServerConfig', () => {
  it('defaults: the local IdP, asymmetric algorithms, 30 s tolerance, introspection credentials, metrics on', () => {
    const c = readResourceServerConfig({});
    expect(c.issuer.href).toBe('http://localhost:4000/');
    expect(c.audience).toBe('http://localhost:3000/api');
    expect(c.algorithms).toEqual(['RS256', 'PS256', 'ES256']);
    expect(c.clockToleranceS).toBe(30);
    expect(c.introspection?.clientId).toBe('reference-resource-server');
    expect(c.metrics).toBe(true);
  });

  it.each(['HS256', 'none', 'RS256 HS512', 'RS256,none'])(
    'refuses API_ALGORITHMS=%j (RFC 8725 §3.1: asymmetric only)',
    (value) => {
      expect(error({ API_ALGORITHMS: value }).message).toContain('API_ALGORITHMS');
    },
  );

  it('accepts a list of asymmetric algorithms, space or comma separated', () => {
    expect(readResourceServerConfig({ API_ALGORITHMS: 'ES256, EdDSA PS512' }).algorithms).toEqual([
      'ES256',
      'EdDSA',
      'PS512',
    ]);
  });

  it.each(['-1', '61', '1.5', 'abc'])(
    'refuses API_CLOCK_TOLERANCE=%j (0 to 60 whole seconds)',
    (value) => {
      expect(error({ API_CLOCK_TOLERANCE: value }).message).toContain('API_CLOCK_TOLERANCE');
    },
  );

  it('needs both introspection credentials or neither', () => {
    const real = { OIDC_ISSUER: 'https://idp.example' };
    expect(error({ ...real, API_INTROSPECTION_CLIENT_ID: 'rs' }).message).toContain(
      'API_INTROSPECTION_CLIENT_SECRET',
    );
    expect(readResourceServerConfig(real).introspection).toBeUndefined();
    expect(
      readResourceServerConfig({
        ...real,
        API_INTROSPECTION_CLIENT_ID: 'rs',
        API_INTROSPECTION_CLIENT_SECRET: 's',
      }).introspection,
    ).toEqual({
      clientId: 'rs',
      clientSecret: 's',
    });
  });

  it('API_METRICS=off removes the metrics endpoint', () => {
    expect(readResourceServerConfig({ API_METRICS: 'off' }).metrics).toBe(false);
  });
});
