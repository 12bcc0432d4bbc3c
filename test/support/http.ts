/**
 * Small helpers shared by the tests' real servers (providers, issuers). Erasable TypeScript only:
 * e2e/hostile/server.ts runs it with Node's type stripping.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * RFC 6749 §2.3.1 client_secret_basic: the id and the secret are each form-urlencoded before
 * Base64 (oauth4webapi sends `test%2Dclient`), so the server decodes each part.
 */
export function basicCredentials(
  header: string | undefined,
): { id: string; secret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const formDecode = (part: string) => decodeURIComponent(part.replaceAll('+', ' '));
  try {
    return {
      id: formDecode(decoded.slice(0, colon)),
      secret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    return undefined; // malformed percent-encoding
  }
}

/** Flips every bit of a JWS's last signature byte: the signature no longer verifies. */
export function corruptSignature(jwt: string): string {
  const [header, payload, signature = ''] = jwt.split('.');
  const bytes = Buffer.from(signature, 'base64url');
  const last = bytes.length - 1;
  bytes[last] = (bytes[last] ?? 0) ^ 0xff;
  return `${header}.${payload}.${bytes.toString('base64url')}`;
}

/** Listens on an ephemeral loopback port and returns the origin to use, http://localhost:<port>. */
export async function listenOnLoopback(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return `http://localhost:${(server.address() as AddressInfo).port}`;
}

/** A port on localhost where nothing listens. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const origin = await listenOnLoopback(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return Number(new URL(origin).port);
}
