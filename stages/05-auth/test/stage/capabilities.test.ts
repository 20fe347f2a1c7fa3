import { fileURLToPath } from 'node:url';
import type { CapabilityContext } from '@backend-path/shared/capabilities/context';
import {
  CAPABILITY_CHECKS,
  createCapabilityContext,
  readStageContract,
} from '@backend-path/shared/capabilities/registry';
import { type RunningServer, startStageServer } from '@backend-path/shared/testing/server';
import { afterAll, beforeAll, describe, it } from 'vitest';

// LESSON: one contract every stage keeps. The stage declares its capabilities in package.json
// (`backendPath.capabilities`); this file runs the black-box check of each one (shared/src/
// capabilities/checks/) against the real server, and `pnpm check:capabilities` fails when a
// stage drops one an earlier stage had without saying why (`backendPath.capabilityChanges`).
// The file is the same in every stage, byte for byte: what differs is the list.
const STAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const contract = readStageContract(STAGE_DIR);
const ALLOWED_ORIGIN = 'http://app.capabilities.test';
let server: RunningServer;
let ctx: CapabilityContext;

/** The server's environment: its own tests' settings, and only what the stage needs. */
async function serverEnv(): Promise<Record<string, string>> {
  const env: Record<string, string> = {
    CORS_ORIGINS: ALLOWED_ORIGIN,
    // Read from stage 05 on: a signing secret for the run, and bcrypt's minimum cost.
    JWT_SECRET: 'capabilities-secret-of-at-least-thirty-two-characters',
    BCRYPT_COST: '4',
    // Every check signs up and logs in from this one address; the limit the rate-limit check
    // proves is the one per e-mail.
    LOGIN_LIMIT_PER_IP: '1000',
    NEW_USER_LIMIT_PER_IP: '1000',
  };
  // Computed names: only the stages that need a database or Redis have these helpers.
  const dbHelpers = '../support/db-helpers.ts';
  const redisHelpers = '../support/redis-helpers.ts';
  if (contract.needs.includes('postgres')) {
    env.DATABASE_URL = (await import(dbHelpers)).testDatabaseUrl();
  }
  if (contract.needs.includes('redis')) {
    Object.assign(env, (await import(redisHelpers)).spawnedServerRedisEnv());
  }
  return env;
}

beforeAll(async () => {
  // Roomy: on a busy machine (CI runs suites side by side) a stage can take seconds to boot.
  server = await startStageServer({ cwd: STAGE_DIR, env: await serverEnv(), timeoutMs: 45_000 });
  ctx = createCapabilityContext({
    baseUrl: server.url,
    capabilities: contract.capabilities,
    allowedOrigin: ALLOWED_ORIGIN,
    serverOutput: server.output,
  });
}, 60_000);

afterAll(() => server?.stop());

describe('the capabilities this stage declares (package.json: backendPath.capabilities)', () => {
  for (const name of contract.capabilities) {
    const check = CAPABILITY_CHECKS[name];
    it(`When the stage declares ${name}, then ${check?.promise ?? 'a check of that name exists'}`, async () => {
      if (!check) throw new Error(`No check for "${name}" in shared/src/capabilities/checks/`);
      await check.run(ctx);
    }, 30_000);
  }
});
