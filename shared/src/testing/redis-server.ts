import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

// Node built-ins only: `pnpm run doctor` imports this and must start fast even with a broken install.

/** The docker-compose Redis; the same URL as every stage's .env.example. */
export const DEFAULT_REDIS_URL = 'redis://localhost:6379';

export type RedisPlan =
  | { kind: 'env'; url: string }
  | { kind: 'local'; url: string }
  | { kind: 'start'; binary: string; reason: string }
  | { kind: 'missing'; reason: string; install: string };

export interface ResolvedRedis {
  url: string;
  kind: 'env' | 'local' | 'started';
  /** Stops the redis-server we started (and deletes its folder); nothing for the others. */
  close(): Promise<void>;
}

interface RedisOptions {
  env?: NodeJS.ProcessEnv;
  defaultUrl?: string;
  platform?: NodeJS.Platform;
}

/**
 * Which Redis tests and `pnpm stage` get, in this order: REDIS_URL if set; else the docker-compose
 * or local Redis on localhost:6379 if it answers; else a `redis-server` found on PATH, which
 * resolveRedis starts; else none, with the command that installs one on this OS.
 */
export async function planRedis(options: RedisOptions = {}): Promise<RedisPlan> {
  const env = options.env ?? process.env;
  if (env.REDIS_URL) return { kind: 'env', url: env.REDIS_URL };
  const url = options.defaultUrl ?? DEFAULT_REDIS_URL;
  if (await redisAnswers(url)) return { kind: 'local', url };
  const reason = `nothing answers at ${hostOf(url)}`;
  const binary = findOnPath('redis-server', env.PATH ?? '');
  if (binary) return { kind: 'start', binary, reason };
  return { kind: 'missing', reason, install: redisInstallCommand(options.platform) };
}

/** planRedis, carried out: prints one `[redis]` line saying which, like the Postgres harness. */
export async function resolveRedis(
  options: RedisOptions & { quiet?: boolean } = {},
): Promise<ResolvedRedis> {
  const say = (line: string) => {
    if (!options.quiet) process.stderr.write(`[redis] ${line}\n`);
  };
  const plan = await planRedis(options);
  if (plan.kind === 'env') {
    if (!(await redisAnswers(plan.url))) {
      throw new Error(
        `REDIS_URL is set, but nothing answers at ${hostOf(plan.url)}. Start that server, or unset REDIS_URL to use localhost:6379 (docker compose up -d redis) or a redis-server from PATH.`,
      );
    }
    say(`using REDIS_URL (${hostOf(plan.url)})`);
    return { url: plan.url, kind: 'env', close: async () => {} };
  }
  if (plan.kind === 'local') {
    say(`using local Redis at ${hostOf(plan.url)} — set REDIS_URL to use another server`);
    return { url: plan.url, kind: 'local', close: async () => {} };
  }
  if (plan.kind === 'missing') {
    throw new Error(
      `No Redis: ${plan.reason}, and no redis-server on PATH. Install one:\n` +
        `  ${plan.install}\n` +
        'or start one with Docker (docker compose up -d redis), or set REDIS_URL to a server you have.',
    );
  }
  const started = await startRedisServer(plan.binary);
  say(
    `started ${plan.binary} at ${hostOf(started.url)} (${plan.reason}; no persistence, stopped at the end) — start Redis on 6379 (docker compose up -d redis) to use yours`,
  );
  return started;
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

async function startRedisServer(binary: string): Promise<ResolvedRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'backend-path-redis-'));
  const port = await freePort();
  const child = spawn(
    binary,
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // If our process dies without close(), the server must not outlive it.
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const url = `redis://127.0.0.1:${port}`;
  const close = async () => {
    process.off('exit', kill);
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (!(await redisAnswers(url, 200))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await close();
      throw new Error(`${binary} did not start on port ${port}. Its output:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url, kind: 'started', close };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
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

function hostOf(url: string): string {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || 6379}`;
}

function findOnPath(command: string, path: string): string | null {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here: the next folder
    }
  }
  return null;
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

function readOsRelease(): string {
  try {
    return readFileSync('/etc/os-release', 'utf8');
  } catch {
    return '';
  }
}
