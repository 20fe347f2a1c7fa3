import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisAnswers, redisInstallCommand } from '@backend-path/shared/testing/redis-server';

/**
 * A redis-server of the test's own (from PATH), on a port that stays the same across stop()
 * and start(): the app's client must find Redis again where it was, as after a real restart.
 * No persistence: a restarted server is empty, scripts included (NOSCRIPT).
 */
export interface OwnRedis {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** SIGSTOP / SIGCONT: a server that keeps its connections but answers nothing. */
  freeze(): void;
  thaw(): void;
  /** stop(), and delete its folder. */
  close(): Promise<void>;
}

export async function ownRedisServer(binary = 'redis-server'): Promise<OwnRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'backend-path-redis-down-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir];
  const kill = () => child?.kill('SIGKILL');
  process.once('exit', kill);

  const own: OwnRedis = {
    url,
    async start() {
      let failed: Error | undefined;
      child = spawn(binary, [...args, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      child.once('error', (error) => (failed = error));
      const deadline = Date.now() + 10_000;
      while (!(await redisAnswers(url, 200))) {
        if (failed || Date.now() > deadline) {
          throw new Error(
            `These tests start a redis-server of their own, and ${binary} did not start on port ` +
              `${port} (${failed?.message ?? 'no answer in 10 s'}). Install one: ` +
              `${redisInstallCommand()}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      running.kill('SIGCONT');
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill('SIGKILL');
      });
    },
    async close() {
      await own.stop();
      process.off('exit', kill);
      rmSync(dir, { recursive: true, force: true });
    },
    freeze: () => {
      child?.kill('SIGSTOP');
    },
    thaw: () => {
      child?.kill('SIGCONT');
    },
  };
  return own;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
