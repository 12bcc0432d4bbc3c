/**
 * lib/issuer-http.ts: the one HTTP policy for every request to the issuer, from the client and
 * the resource server alike. Real node:http servers on loopback; nothing mocked.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  discover,
  issuerFetch,
  MAX_RESPONSE_BYTES,
  ResponseTooLargeError,
} from '@/lib/issuer-http';
import { createJwksCache, JwksUnavailableError } from '@/lib/resource-server/jwks';
import { listenOnLoopback } from './support/http';

const servers: Array<ReturnType<typeof createServer>> = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  return listenOnLoopback(server);
}

/** A body of `size` bytes sent in 16 KB chunks without Content-Length (chunked), as a hostile server would. */
function streamed(size: number) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    let sent = 0;
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    const pump = () => {
      while (sent < size) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += part.length;
        if (!res.write(part)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  };
}

describe('issuerFetch', () => {
  it('passes a body up to the cap through intact, with its status, headers and url', async () => {
    const body = JSON.stringify({ fill: 'x'.repeat(MAX_RESPONSE_BYTES - 20) }).slice(
      0,
      MAX_RESPONSE_BYTES,
    );
    const base = await serve((_req, res) =>
      res.writeHead(201, { 'content-type': 'application/json', 'x-kept': 'yes' }).end(body),
    );
    const response = await issuerFetch(`${base}/doc`);
    expect(response.status).toBe(201);
    expect(response.headers.get('x-kept')).toBe('yes');
    expect(response.url).toBe(`${base}/doc`);
    expect(await response.text()).toBe(body);
  });

  it('refuses a streamed body over the cap (no Content-Length), without buffering the rest', async () => {
    const base = await serve(streamed(MAX_RESPONSE_BYTES * 8));
    await expect(issuerFetch(`${base}/huge`)).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it('refuses a body whose Content-Length is over the cap before reading it', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(MAX_RESPONSE_BYTES + 1) });
      res.write('{'); // and never the rest
    });
    await expect(issuerFetch(`${base}/declared`)).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it('speaks plain http only to loopback: anything else is refused before a request is made', async () => {
    for (const url of [
      'http://idp.example.com/.well-known/openid-configuration',
      'http://10.0.0.1/token',
      'ftp://localhost/x',
    ]) {
      await expect(issuerFetch(url), url).rejects.toThrow(/https:\/\/ only/);
    }
  });

  it('keeps a signal the caller brings (its own time limit)', async () => {
    const base = await serve(() => undefined); // never answers
    const started = Date.now();
    await expect(
      issuerFetch(`${base}/slow`, { signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('through the roles', () => {
  it("the resource server's JWKS: an oversized key set is an outage (JwksUnavailableError, a 503), not a bad token", async () => {
    const base = await serve(streamed(MAX_RESPONSE_BYTES + 1));
    const jwks = createJwksCache(new URL(`${base}/jwks`));
    await expect(
      jwks.getKey({ alg: 'RS256', kid: 'k' }, {
        payload: '',
        signature: '',
        protected: '',
      } as never),
    ).rejects.toBeInstanceOf(JwksUnavailableError);
  });

  it('discovery: once per issuer for the client and the resource server together; a failure is not kept', async () => {
    let hits = 0;
    let up = false;
    const base = await serve((_req, res) => {
      hits++;
      if (!up) return void res.writeHead(503).end();
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ issuer: base, jwks_uri: `${base}/jwks` }));
    });
    const issuer = new URL(base);
    await expect(discover(issuer)).rejects.toThrow();
    up = true;
    const [a, b] = await Promise.all([discover(issuer), discover(new URL(base))]);
    expect(a).toBe(b);
    expect(a.issuer).toBe(base);
    await discover(issuer);
    expect(hits).toBe(2); // the failure, then one discovery for everyone
  });
});
