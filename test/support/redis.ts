/**
 * A real redis-server for the tests (Debian's `redis-server`; `.ci/run` installs it): on a free
 * loopback port, nothing on disk, stopped when the tests are done. Erasable TypeScript only.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { closedPort } from './http.ts';

export interface RedisServer {
  url: string;
  /** With `tls`: the PEM of the CA that signed the server's certificate (for `localhost`). */
  ca?: string;
  port: number;
  /** Stops the server (SIGKILL after 2 s). */
  stop(): Promise<void>;
  /** Suspends the process (SIGSTOP): connections stay open, nothing answers. `resume` undoes it. */
  pause(): void;
  resume(): void;
}

function installed(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

/** Any answer to PING (+PONG, or -NOAUTH when a password is required) means the server is up. */
async function answers(port: number, ca?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const ping = () => socket.write('PING\r\n');
    const socket = ca
      ? tlsConnect({ host: '127.0.0.1', servername: 'localhost', port, ca }, ping)
      : createConnection({ host: '127.0.0.1', port }, ping);
    socket.once('data', (data) => {
      resolve(/^[+-]/.test(data.toString()));
      socket.destroy();
    });
    socket.once('error', () => resolve(false));
  });
}

function openssl(dir: string, args: string[]) {
  const run = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl ${args[0]} failed: ${run.stderr}`);
}

/** A throwaway CA and a certificate for localhost / 127.0.0.1 that it signed (the openssl CLI). */
function makeCertificates(dir: string) {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=next-oidc-reference test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  ]);
  openssl(dir, [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  ]);
  writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'san.cnf',
    '-out',
    'server.pem',
  ]);
}

export interface RedisOptions {
  /** Serve TLS only (no plain port), with a certificate from a throwaway CA: like Upstash's rediss://. */
  tls?: boolean;
  /** Require this password (AUTH default <password>), like Upstash's token. */
  password?: string;
}

export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  if (!installed())
    throw new Error(
      'redis-server is not installed: apt-get install -y redis-server (.ci/run does it)',
    );
  const port = await closedPort();
  const args = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  let dir: string | undefined;
  let ca: string | undefined;
  if (options.tls) {
    dir = mkdtempSync(join(tmpdir(), 'nor-redis-tls-'));
    makeCertificates(dir);
    ca = readFileSync(join(dir, 'ca.pem'), 'utf8');
    args.push(
      '--port',
      '0',
      '--tls-port',
      String(port),
      '--tls-cert-file',
      join(dir, 'server.pem'),
      '--tls-key-file',
      join(dir, 'server.key'),
      '--tls-ca-cert-file',
      join(dir, 'ca.pem'),
      '--tls-auth-clients',
      'no',
    );
  } else {
    args.push('--port', String(port));
  }
  if (options.password) args.push('--requirepass', options.password);
  const child: ChildProcess = spawn('redis-server', args, { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (!(await answers(port, ca))) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`redis-server did not start on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const auth = options.password ? `default:${encodeURIComponent(options.password)}@` : '';
  if (dir) child.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return {
    url: options.tls ? `rediss://${auth}localhost:${port}` : `redis://${auth}127.0.0.1:${port}`,
    ca,
    port,
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.kill('SIGCONT');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 2_000).unref();
      }),
  };
}
