/**
 * A real redis-server for the tests (Debian's `redis-server`; `.ci/run` installs it): on a free
 * loopback port, nothing on disk, stopped when the tests are done. Erasable TypeScript only.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { closedPort } from './http.ts';

export interface RedisServer {
  url: string;
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

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startRedis(): Promise<RedisServer> {
  if (!installed()) throw new Error('redis-server is not installed: apt-get install -y redis-server (.ci/run does it)');
  const port = await closedPort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (!(await answers(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
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
