import { spawnSync } from 'node:child_process';
import { planRedis } from '@backend-path/shared/testing/redis-server';
import { portIsFree, postgresAnswers, redisAnswers } from './net.ts';

// What `pnpm run doctor` checks. Each check says what it found and, when it fails, the command to run.
// The same default as shared/src/testing/database.ts, which we do not import: it loads pg and
// PGlite, and the doctor must start fast on a machine where installs may be broken. (Redis's plan,
// shared/src/testing/redis-server.ts, uses Node built-ins only: that one we share.)
const DEFAULT_DATABASE_URL = 'postgres://postgres:postgres@localhost:5432/backend_path';

export interface Check {
  ok: boolean;
  required: boolean;
  text: string;
  fix?: string;
}

/**
 * The Node running us, and where it lives: a shell can find another `node` first on its PATH than
 * the one a version manager installed. The oldest allowed is package.json's `engines` (22.18: the
 * first 22 that strips TypeScript types by itself); the READMEs are measured on 24 (`.nvmrc`).
 */
export function checkNode(
  version: string = process.versions.node,
  execPath: string = process.execPath,
): Check {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = major > 22 || (major === 22 && minor >= 18);
  const advice = major >= 24 ? '' : ' (24 recommended, see .nvmrc: nvm install 24)';
  return ok
    ? { ok, required: true, text: `Node ${version} at ${execPath}${advice}` }
    : {
        ok,
        required: true,
        text: `Node ${version} at ${execPath}: need ≥ 22.18 (24 recommended, see .nvmrc)`,
        fix: 'nvm install 24 && nvm use 24   (or any Node ≥ 22.18 from https://nodejs.org; then `node -v` in a new shell)',
      };
}

function pnpmVersion(env: NodeJS.ProcessEnv): string | undefined {
  const agent = /^pnpm\/(\S+)/.exec(env.npm_config_user_agent ?? '');
  if (agent) return agent[1];
  const run = spawnSync('pnpm', ['--version'], {
    env,
    encoding: 'utf8',
    timeout: 5000,
    shell: process.platform === 'win32',
  });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

export function checkPnpm(env: NodeJS.ProcessEnv = process.env): Check {
  const version = pnpmVersion(env);
  // Not corepack: Node 25 and later ship without it.
  const fix = 'npm i -g pnpm@10.34.9';
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

export async function checkPostgres(env: NodeJS.ProcessEnv = process.env): Promise<Check> {
  const fromEnv = env.DATABASE_URL;
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

/** Which branch of the Redis plan tests and `pnpm stage` will take, and the fix when there is none. */
export async function checkRedis(
  fromStage: string,
  options: Parameters<typeof planRedis>[0] = {},
): Promise<Check> {
  const plan = await planRedis(options);
  const needed = `needed from stage ${fromStage} on`;
  if (plan.kind === 'start') {
    const text = `Redis: ${plan.reason}; tests and \`pnpm stage\` start ${plan.binary} on a free port`;
    return { ok: true, required: false, text };
  }
  if (plan.kind === 'missing') {
    return {
      ok: false,
      required: false,
      text: `Redis: ${plan.reason}, and no redis-server on PATH (${needed})`,
      fix: `${plan.install}   (or: docker compose up -d redis, or set REDIS_URL)`,
    };
  }
  const at = where(plan.url, 6379);
  const source = plan.kind === 'env' ? ' (REDIS_URL)' : '';
  if (await redisAnswers(plan.url)) {
    return { ok: true, required: false, text: `Redis answers at ${at}${source}` };
  }
  return {
    ok: false,
    required: false,
    text: `Redis: nothing answers at ${at} (${needed})`,
    fix: 'docker compose up -d redis   (or: redis-server --daemonize yes, or set REDIS_URL)',
  };
}

export async function checkPort(
  stage: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Check> {
  const port = Number(env.PORT ?? '3000');
  if (await portIsFree(port)) return { ok: true, required: false, text: `Port ${port} is free` };
  return {
    ok: false,
    required: false,
    text: `Port ${port} is taken (pnpm stage listens there)`,
    fix: `PORT=${port + 1} pnpm stage ${stage}   (or find the owner: lsof -i :${port})`,
  };
}
