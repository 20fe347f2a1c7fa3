import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { getFreePort } from './ports.ts';

// Node built-ins only: `pnpm run doctor` reaches this through redis-server.ts.

/**
 * A redis-server of our own (from PATH, or `binary`), on a port that stays the same across stop()
 * and start(): a client must find Redis again where it was, as after a real restart. No
 * persistence: a restarted server is empty, scripts included (NOSCRIPT). resolveRedis starts the
 * run's Redis with it; a test of Redis going down stops, freezes and restarts one of its own.
 */
export interface OwnRedis {
  url: string;
  start(): Promise<void>;
  /** SIGKILL, as a crash: the clients get no goodbye. */
  stop(): Promise<void>;
  /** SIGSTOP / SIGCONT: a server that keeps its connections but answers nothing. */
  freeze(): void;
  thaw(): void;
  /** stop(), and delete its folder. */
  close(): Promise<void>;
}

export async function ownRedisServer(binary = 'redis-server'): Promise<OwnRedis> {
  const port = await getFreePort();
  const dir = mkdtempSync(join(tmpdir(), 'backend-path-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir];
  let child: ChildProcess | undefined;
  // If our process dies without close(), the server must not outlive it.
  const kill = () => child?.kill('SIGKILL');
  process.once('exit', kill);

  const own: OwnRedis = {
    url,
    async start() {
      const started = spawn(binary, [...args, '--save', '', '--appendonly', 'no'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      let output = '';
      const collect = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-2000);
      };
      started.stdout?.on('data', collect);
      started.stderr?.on('data', collect);
      let failed: Error | undefined;
      started.once('error', (error) => (failed = error));
      const deadline = Date.now() + 10_000;
      while (!(await redisAnswers(url, 200))) {
        const exited = started.exitCode !== null ? `exit ${started.exitCode}` : undefined;
        const why = failed?.message ?? exited ?? (Date.now() > deadline && 'no answer in 10 s');
        if (why) {
          await own.stop();
          const hint = failed
            ? `Install Redis: ${redisInstallCommand()}`
            : `Its output:\n${output}`;
          throw new Error(`${binary} did not start on port ${port} (${why}). ${hint}`);
        }
        await sleep(25);
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

/** `+PONG`, or an error such as `-NOAUTH`: either way a Redis server is listening. */
export function redisAnswers(url: string, timeoutMs = 1_000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  // `localhost` may resolve to ::1 first while the server listens on 127.0.0.1 only.
  const host = hostname === 'localhost' ? '127.0.0.1' : hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = createConnection({ host, port: Number(port || 6379) });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(/^[+-]/.test(data.toString('latin1'))));
  });
}

/** The one command that installs Redis here: Homebrew on macOS, apt on Debian/Ubuntu. */
export function redisInstallCommand(
  platform: NodeJS.Platform = process.platform,
  osRelease: string = readOsRelease(),
): string {
  if (platform === 'darwin') return 'brew install redis && brew services start redis';
  if (platform === 'linux' && /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(osRelease)) {
    return 'sudo apt-get install -y redis-server';
  }
  return 'see https://redis.io/docs/latest/operate/oss_and_stack/install/ (Redis 7 or later)';
}

function readOsRelease(): string {
  try {
    return readFileSync('/etc/os-release', 'utf8');
  } catch {
    return '';
  }
}
