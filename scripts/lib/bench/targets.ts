import { randomBytes } from 'node:crypto';
import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { generateDataset } from '@backend-path/shared/seed/generator';
import { getFreePort } from '@backend-path/shared/testing/ports';
import { type RunningServer, startStageServer } from '@backend-path/shared/testing/server';
import type { StageDatabase } from './databases.ts';
import type { BenchStage } from './plan.ts';
import { BENCH_PASSWORD } from './template-data.ts';

// A started stage, ready to be driven: its server, the headers that name its caller, the
// ticket GET /tickets/:id reads and, from stage 05, the credentials login checks.

export interface Target {
  stage: BenchStage;
  server: RunningServer;
  headers: Record<string, string>;
  ticketPath: string;
  login?: { email: string; password: string };
}

const API = '/api/v1';
// Generated as a deployment would (stage 09 on refuses a placeholder-looking secret in production).
const JWT_SECRET = randomBytes(32).toString('base64url');
/** In-memory stages start empty: the bench gives them one page of tickets (page size 20). */
const MEMORY_TICKETS = 20;

export interface Services {
  redisUrl?: string;
  bcryptCost: number;
  /** Redis keys of this run (cache, rate limits) start with it: nothing is shared with others. */
  runId: string;
}

/**
 * Every server runs as it would be deployed: NODE_ENV=production (stage 09 on refuses its
 * development defaults there, so the bench names the values; stage 10 writes JSON logs instead of
 * pretty ones). Rate limits are lifted: 10 connections for seconds are far past 300 a minute,
 * and a 429 would be measured instead of the route.
 */
export function serverEnv(
  stage: BenchStage,
  db: StageDatabase | undefined,
  services: Services,
): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    CORS_ORIGINS: 'http://bench.localhost',
  };
  if (db) env.DATABASE_URL = db.url;
  if (stage.caller === 'token') {
    Object.assign(env, {
      JWT_SECRET,
      BCRYPT_COST: String(services.bcryptCost),
      JWT_TTL_SECONDS: '3600',
    });
  }
  if (stage.redis && services.redisUrl) {
    const redis = new URL(services.redisUrl);
    // The development value (redis://localhost:6379) is refused in production: the same server.
    if (redis.hostname === 'localhost') redis.hostname = '127.0.0.1';
    Object.assign(env, {
      REDIS_URL: redis.toString().replace(/\/$/, ''),
      REDIS_KEY_PREFIX: `bp:bench:${services.runId}:${stage.number}:`,
      RATE_LIMIT: '1000000000',
      LOGIN_LIMIT_PER_IP: '1000000',
      LOGIN_LIMIT_PER_EMAIL: '1000000',
      // 100 ms by default: a Redis in trouble. Here it is a CPU shared with the load generator
      // and nine other servers, where a busy event loop reads a fast answer late.
      REDIS_COMMAND_TIMEOUT_MS: '1000',
    });
  }
  return env;
}

async function call(
  server: RunningServer,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; json: { data?: unknown } }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : {} };
}

/** 20 generated tickets (the shared generator, seed 42), opened by alice and bob, 10 each. */
async function seedMemory(server: RunningServer): Promise<string> {
  const { tickets } = generateDataset({
    seed: 42,
    accounts: 1,
    usersPerAccount: 3,
    tickets: MEMORY_TICKETS,
  });
  const ids: string[] = [];
  for (const [i, ticket] of [...tickets].entries()) {
    // The open-ticket limit is 10 per user (stage 02): two openers for one page.
    const opener = i < 10 ? FIXTURE_USERS.alice : FIXTURE_USERS.bob;
    const { subject, description, priority } = ticket;
    const res = await call(
      server,
      'POST',
      `${API}/tickets`,
      { 'X-User-Id': opener.id },
      { subject, description, priority },
    );
    if (res.status !== 201) throw new Error(`seeding: POST /tickets → ${res.status}`);
    ids.push((res.json.data as { id: string }).id);
  }
  return ids[0] as string;
}

export async function startTarget(
  stage: BenchStage,
  db: StageDatabase | undefined,
  services: Services,
): Promise<Target> {
  const server = await startStageServer({
    cwd: stage.dir,
    // Stage 10 in production also listens on an internal port (/metrics), 9464 unless told:
    // one of its own, like the API's, so two benches (or a test) never meet on it.
    env: { ...serverEnv(stage, db, services), INTERNAL_PORT: String(await getFreePort()) },
    timeoutMs: 60_000,
  });
  try {
    if (!db) {
      const first = await seedMemory(server);
      // Carol, acme's admin, reads and writes in stage 02; stage 01 has one caller and no header.
      const headers: Record<string, string> =
        stage.caller === 'header' ? { 'X-User-Id': FIXTURE_USERS.carol.id } : {};
      return { stage, server, headers, ticketPath: `${API}/tickets/${first}` };
    }
    const ticketPath = `${API}/tickets/${db.ticketId}`;
    if (stage.caller !== 'token') {
      return { stage, server, headers: { 'X-User-Id': db.caller.id }, ticketPath };
    }
    const login = { email: db.caller.email, password: BENCH_PASSWORD };
    let res = await call(server, 'POST', `${API}/auth/login`, {}, login);
    // 503 + Retry-After: a stage with Redis pauses logins while Redis seems slow, as it may
    // while the servers start side by side. Once more after the pause, then it is a failure.
    for (let attempt = 1; res.status === 503 && attempt <= 3; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 2_000 * attempt));
      res = await call(server, 'POST', `${API}/auth/login`, {}, login);
    }
    const token = (res.json.data as { accessToken?: string } | undefined)?.accessToken;
    if (res.status !== 200 || !token) throw new Error(`login → ${res.status}`);
    return { stage, server, headers: { Authorization: `Bearer ${token}` }, ticketPath, login };
  } catch (error: unknown) {
    await server.stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${stage.folder}: ${reason}\nIts output:\n${server.output().slice(-3000)}`);
  }
}

export const WRITE_SUBJECT = 'pnpm bench: created, then deleted';

/**
 * A create cell ends with creates whose DELETE never went out (autocannon stops mid-pair, and
 * drops answers in flight): they would count toward the caller's limit of 10 open tickets, and
 * stage 01 lists every ticket. So they are found (newest open tickets first: they are the
 * newest) and deleted, after the cell and before the next one.
 */
export async function deleteLeftovers(target: Target): Promise<number> {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await pause(300); // answers the server still owes
  const path = `${API}/tickets?status=open&pageSize=100`;
  let listed = await call(target.server, 'GET', path, target.headers);
  // Under the bench's load a list may still answer 503 now and then (a pool or lock timeout).
  for (let attempt = 1; listed.status !== 200 && attempt <= 4; attempt++) {
    await pause(1_000);
    listed = await call(target.server, 'GET', path, target.headers);
  }
  if (listed.status !== 200) {
    throw new Error(
      `${target.stage.folder}: listing the open tickets to clean up → ${listed.status}`,
    );
  }
  const items = (listed.json.data ?? []) as { id: string; subject: string }[];
  const leftovers = items.filter((item) => item.subject === WRITE_SUBJECT);
  for (const { id } of leftovers) {
    const res = await call(target.server, 'DELETE', `${API}/tickets/${id}`, target.headers);
    // 404: the cell's own DELETE, still in flight when the list was read, got there first.
    if (res.status !== 204 && res.status !== 404) {
      throw new Error(`${target.stage.folder}: DELETE of a leftover ticket → ${res.status}`);
    }
  }
  return leftovers.length;
}
