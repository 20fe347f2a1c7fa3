import { spawnSync } from 'node:child_process';
import { portIsFree, postgresAnswers, redisAnswers } from './net.ts';

// What `pnpm run doctor` checks. Each check says what it found and, when it fails, the command to run.
// The same defaults as shared/src/testing/{database,redis}.ts, which we do not import: they load pg,
// PGlite and redis, and the doctor must start fast on a machine where installs may be broken.
const DEFAULT_DATABASE_URL = 'postgres://postgres:postgres@localhost:5432/backend_path';
const DEFAULT_REDIS_URL = 'redis://localhost:6379';

export interface Check {
  ok: boolean;
  required: boolean;
  text: string;
  fix?: string;
}

export function checkNode(): Check {
  const version = process.versions.node;
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = major > 20 || (major === 20 && minor >= 19);
  const advice = major >= 24 ? '' : ' (24 LTS recommended: nvm install 24)';
  return ok
    ? { ok, required: true, text: `Node ${version}${advice}` }
    : {
        ok,
        required: true,
        text: `Node ${version}: need ≥ 20.19`,
        fix: 'nvm install 24 && nvm use 24',
      };
}

function pnpmVersion(): string | undefined {
  const agent = /^pnpm\/(\S+)/.exec(process.env.npm_config_user_agent ?? '');
  if (agent) return agent[1];
  const run = spawnSync('pnpm', ['--version'], {
    encoding: 'utf8',
    timeout: 5000,
    shell: process.platform === 'win32',
  });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

export function checkPnpm(): Check {
  const version = pnpmVersion();
  const fix = 'npm i -g pnpm@10   (or: corepack enable)';
  if (!version) return { ok: false, required: true, text: 'pnpm not found', fix };
  if (!version.startsWith('10.')) {
    return { ok: false, required: true, text: `pnpm ${version}: need pnpm 10.x`, fix };
  }
  return { ok: true, required: true, text: `pnpm ${version}` };
}

function where(url: string, defaultPort: number): string {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || defaultPort}`;
}

export async function checkPostgres(): Promise<Check> {
  const fromEnv = process.env.DATABASE_URL;
  const url = fromEnv ?? DEFAULT_DATABASE_URL;
  const at = where(url, 5432);
  const source = fromEnv ? 'DATABASE_URL' : 'default URL';
  if (await postgresAnswers(url)) {
    return { ok: true, required: false, text: `Postgres answers at ${at} (${source})` };
  }
  if (fromEnv) {
    return {
      ok: false,
      required: false,
      text: `Postgres: DATABASE_URL is set, but nothing answers at ${at}`,
      fix: 'start that server, or `unset DATABASE_URL` to use the embedded PGlite',
    };
  }
  return {
    ok: false,
    required: false,
    text: `Postgres: nothing answers at ${at}; stages that need only Postgres will use embedded PGlite (fine)`,
    fix: 'for a real server: docker compose up -d postgres',
  };
}

export async function checkRedis(fromStage: string): Promise<Check> {
  const url = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  const at = where(url, 6379);
  if (await redisAnswers(url)) return { ok: true, required: false, text: `Redis answers at ${at}` };
  return {
    ok: false,
    required: false,
    text: `Redis: nothing answers at ${at} (needed from stage ${fromStage} on)`,
    fix: 'docker compose up -d redis   (or: redis-server --daemonize yes, or set REDIS_URL)',
  };
}

export async function checkPort(stage: string): Promise<Check> {
  const port = Number(process.env.PORT ?? '3000');
  if (await portIsFree(port)) return { ok: true, required: false, text: `Port ${port} is free` };
  return {
    ok: false,
    required: false,
    text: `Port ${port} is taken (pnpm stage listens there)`,
    fix: `PORT=${port + 1} pnpm stage ${stage}   (or find the owner: lsof -i :${port})`,
  };
}
