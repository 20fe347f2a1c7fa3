import { basename } from 'node:path';
import type { TestProject } from 'vitest/node';
import { connectTestRedis } from './redis.ts';
import { resolveRedis } from './redis-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Redis this run uses, and the prefix every key of this run starts with. */
    testRedis: { url: string; prefix: string };
  }
}

// A stage's vitest global setup (stage 07 on), once per run: REDIS_URL, else the Redis on
// localhost:6379, else a redis-server from PATH started for this run (redis-server.ts). Every key
// of the run starts with `bp:test:<stage folder>:<run>:` (workers and tests add their own part: the
// stage's test/support/redis-helpers.ts), and the run deletes its keys at the end, leaving other
// stages' and the dev data alone.
export default async function setup(project: TestProject) {
  const redis = await resolveRedis();
  const run = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  // The stage's folder name (07-redis…): a copied stage never shares its keys' names.
  const stage = `${basename(project.config.root)}:${run}`;
  project.provide('testRedis', { url: redis.url, prefix: `bp:test:${stage}:` });
  return async () => {
    const cleanup = await connectTestRedis({ stage, url: redis.url });
    await cleanup.clear();
    await cleanup.close();
    await redis.close();
  };
}
