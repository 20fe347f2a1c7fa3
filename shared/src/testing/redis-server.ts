import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ownRedisServer, redisAnswers, redisInstallCommand } from './redis-process.ts';

// Node built-ins only (here and in redis-process.ts): `pnpm run doctor` imports this and must
// start fast even with a broken install.

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
  const started = await ownRedisServer(plan.binary);
  try {
    await started.start();
  } catch (error: unknown) {
    await started.close();
    throw error;
  }
  say(
    `started ${plan.binary} at ${hostOf(started.url)} (${plan.reason}; no persistence, stopped at the end) — start Redis on 6379 (docker compose up -d redis) to use yours`,
  );
  return { url: started.url, kind: 'started', close: started.close };
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
