import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stage } from '../stages.ts';
import type { RouteId, StageInfo } from './results.ts';

// What the bench needs to know of a stage, read from its files rather than from its number, so
// a stage added or reshaped later is driven by what it has:
//   storage  — package.json backendPath.needs names postgres (else tickets live in memory);
//   caller   — src/auth/auth.router.ts: log in and send a token (05 on); a currentUser
//              middleware: name the caller in X-User-Id (02–04); neither: stage 01, one caller;
//   comments — src/comments/: `?include=comments` exists (03 on);
//   migrations — migrations/*.sql: stages with the same files share a template database.

export interface BenchStage extends StageInfo {
  dir: string;
  caller: 'fixed' | 'header' | 'token';
  comments: boolean;
  /** name and content hash of each migration, in order (empty for an in-memory stage) */
  migrations: { name: string; hash: string }[];
}

export function benchStage(stage: Stage): BenchStage {
  const has = (path: string) => existsSync(join(stage.dir, path));
  const migrationsDir = join(stage.dir, 'migrations');
  const migrations = existsSync(migrationsDir)
    ? readdirSync(migrationsDir)
        .filter((name) => name.endsWith('.sql'))
        .sort()
        .map((name) => ({
          name,
          hash: createHash('sha256')
            .update(readFileSync(join(migrationsDir, name)))
            .digest('hex')
            .slice(0, 16),
        }))
    : [];
  return {
    number: stage.number,
    folder: stage.folder,
    dir: stage.dir,
    storage: stage.needs.includes('postgres') ? 'postgres' : 'memory',
    redis: stage.needs.includes('redis'),
    caller: has('src/auth/auth.router.ts')
      ? 'token'
      : has('src/middleware/current-user.ts')
        ? 'header'
        : 'fixed',
    comments: has('src/comments'),
    migrations,
  };
}

/** The routes this stage has; the others are n/a in the table. */
export function routesOf(stage: BenchStage): RouteId[] {
  const routes: RouteId[] = ['ticket', 'list'];
  if (stage.comments) routes.push('comments');
  routes.push('write');
  if (stage.caller === 'token') routes.push('login');
  return routes;
}

export function info(stage: BenchStage): StageInfo {
  return {
    number: stage.number,
    folder: stage.folder,
    storage: stage.storage,
    redis: stage.redis,
  };
}

export interface Timing {
  connections: number;
  /** Seconds per cell; 0: a fixed number of requests instead (quick). */
  durationS: number;
  warmUpS: number;
  rounds: number;
  rows: number;
  /** BCRYPT_COST of the servers and of the caller's hash: the stages' default, 12, in a full run. */
  bcryptCost: number;
}

// Full: the lab's million tickets, 3 s per cell, two interleaved rounds after a 1 s warm-up
// (≈ 6 minutes of measuring for ten stages). Quick (CI): does every stage still serve every
// route? Ten thousand tickets, one round of a fixed number of requests per cell, which a slow or
// busy machine completes too (a login costs ≈ 200 ms of bcrypt): its numbers mean little.
export const FULL: Timing = {
  connections: 10,
  durationS: 3,
  warmUpS: 1,
  rounds: 2,
  rows: 1_000_000,
  bcryptCost: 12,
};
export const QUICK: Timing = {
  connections: 10,
  durationS: 0,
  warmUpS: 0,
  rounds: 1,
  rows: 10_000,
  bcryptCost: 10, // the least production accepts (09 on): quick checks that login answers, not its cost
};
/** Requests per cell in a quick run. */
export const QUICK_REQUESTS = { login: 10, other: 20 } as const;
