import { describe, expect, it } from 'vitest';
import { bearerError, json } from '@/lib/resource-server/errors';
import { parseChallenge } from '../support/challenge.ts';

function challenge(response: Response): Record<string, string> {
  const header = response.headers.get('WWW-Authenticate');
  expect(header).not.toBeNull();
  return parseChallenge(header!);
}

describe('bearerError', () => {
  it('answers a request without credentials with a bare 401 challenge', async () => {
    const response = bearerError(undefined);
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer realm="api"');
    expect(challenge(response)).not.toHaveProperty('error');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.error).toBeTypeOf('string');
  });

  it.each([
    ['invalid_token', 401],
    ['insufficient_scope', 403],
    ['invalid_request', 400],
  ] as const)('maps %s to %i', async (code, status) => {
    const response = bearerError(code, 'why');
    expect(response.status).toBe(status);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('Content-Type')).toContain('application/json');
    const params = challenge(response);
    expect(params.realm).toBe('api');
    expect(params.error).toBe(code);
    expect(params.error_description).toBe('why');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.error).toBe(params.error);
    expect(body.error_description).toBe('why');
  });

  it('names the required scope for insufficient_scope', async () => {
    const response = bearerError('insufficient_scope', 'Needs write access.', ['notes:write']);
    expect(response.status).toBe(403);
    const header = response.headers.get('WWW-Authenticate')!;
    expect(header).toContain('scope="notes:write"');
    expect(challenge(response).scope).toBe('notes:write');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.error).toBe('insufficient_scope');
    expect(body.scope).toBe('notes:write');
  });

  it('joins several scopes with a space', () => {
    expect(
      challenge(bearerError('insufficient_scope', undefined, ['notes:read', 'notes:write'])).scope,
    ).toBe('notes:read notes:write');
  });

  it('omits error_description when there is none', () => {
    expect(challenge(bearerError('invalid_token'))).not.toHaveProperty('error_description');
  });

  it('escapes quotes and backslashes in the description', async () => {
    const description = 'a "quoted" \\ word';
    const response = bearerError('invalid_token', description);
    const header = response.headers.get('WWW-Authenticate')!;
    expect(header).toContain('\\"');
    expect(header).toContain('error_description="a \\"quoted\\" \\\\ word"');
    const params = challenge(response);
    expect(params.error).toBe('invalid_token');
    expect(params.error_description).toBe(description);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.error_description).toBe(description);
  });
});

describe('json', () => {
  it('sends no-store JSON with the given status', async () => {
    const response = json({ ok: true }, 201);
    expect(response.status).toBe(201);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(await response.json()).toEqual({ ok: true });
  });
  it('drops control characters from the description instead of throwing', () => {
    const response = bearerError('invalid_token', 'line one\nline two\r\u0000');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain(
      'error_description="line oneline two"',
    );
  });
});
