// Lab: what the production stack costs. GET one ticket through stage 02 (Express, tickets in
// memory, no auth) and through this stage (PostgreSQL, JWT + caller lookup, validation, pino,
// helmet, metrics), then through this stage with one middleware switched off at a time
// (createApp's `features`), and through stage 09 on the same database and Redis (auth, validation,
// the rate limit; none of this stage's middleware, its access line off). Every server is a child process; autocannon runs here, same
// connections and duration for all, two interleaved rounds after a warm-up.
// Prints req/s and each variant's ratio; saves lab-results/stack-cost.json. Run: pnpm lab:stack-cost
import { fileURLToPath } from 'node:url';
import {
  FIXTURE_ACCOUNT_LIST,
  FIXTURE_USER_LIST,
  FIXTURE_USERS,
} from '@backend-path/shared/seed/fixtures';
import { type RunningServer, startStageServer } from '@backend-path/shared/testing/server';
import autocannon from 'autocannon';
import { createTokenService } from '../src/auth/tokens.ts';
import { DEFAULT_DATABASE_URL, loadConfig } from '../src/config.ts';
import { closePool, createPool } from '../src/db/pool.ts';
import { insertPeople } from './lib/lab-data.ts';
import { openLabDatabase } from './lib/lab-database.ts';
import { printTable, round, writeResults } from './lib/report.ts';

const STAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const STAGE_02_DIR = fileURLToPath(new URL('../../02-express', import.meta.url));
// The same database, auth and validation without this stage's middleware: what stage 10 adds.
const STAGE_09_DIR = fileURLToPath(new URL('../../09-docker', import.meta.url));
const CONNECTIONS = 10;
const DURATION_S = 4;
const ROUNDS = 2;
const SECRET = 'lab-stack-cost-secret-of-at-least-32-characters';
const TOKEN = createTokenService(SECRET, loadConfig().token).issue(FIXTURE_USERS.alice, 0);
const HEADERS = {
  Authorization: `Bearer ${TOKEN.accessToken}`,
  'X-User-Id': FIXTURE_USERS.alice.id, // stage 02 names its caller this way (no auth yet)
  'Content-Type': 'application/json',
};
const VARIANTS = {
  'stage 10, everything on': '',
  'without pino logging': 'logging',
  'without helmet': 'helmet',
  'without metrics': 'metrics',
  'without all three': 'logging,helmet,metrics',
};

/** Stage 10's labs use a database of their own: its migrations are not earlier stages'. */
async function stageLabDatabase() {
  const admin = new URL(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
  const url = new URL(admin);
  url.pathname = '/backend_path_10_lab';
  admin.pathname = '/postgres';
  const pool = createPool(admin.toString(), { max: 1 });
  try {
    const { rowCount } = await pool.query(
      "SELECT 1 FROM pg_database WHERE datname = 'backend_path_10_lab'",
    );
    if (rowCount === 0) await pool.query('CREATE DATABASE backend_path_10_lab');
  } finally {
    await closePool(pool);
  }
  return openLabDatabase({ env: { ...process.env, LAB_DATABASE_URL: url.toString() } });
}

async function ticketUrl(server: RunningServer): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/tickets`, {
    method: 'POST',
    headers: HEADERS,
    body: JSON.stringify({ subject: 'Measure me', priority: 'high' }),
  });
  const body = (await res.json()) as { data: { id: string } };
  if (res.status !== 201) throw new Error(`create → ${res.status} ${JSON.stringify(body)}`);
  return `${server.url}/api/v1/tickets/${body.data.id}`;
}

async function measure(url: string, durationS: number): Promise<number> {
  const result = await autocannon({
    url,
    headers: HEADERS,
    connections: CONNECTIONS,
    duration: durationS,
  });
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0) throw new Error(`${url}: ${failed} failed requests`);
  return result.requests.average;
}

const db = await stageLabDatabase();
// Each run opens 7 tickets as alice: start from none (the open-ticket limit is 10).
await db.pool.query('TRUNCATE tickets, idempotency_keys CASCADE');
await insertPeople(db.pool, { accounts: FIXTURE_ACCOUNT_LIST, users: FIXTURE_USER_LIST });
const servers: Record<string, RunningServer> = {
  'stage 02, in memory': await startStageServer({ cwd: STAGE_02_DIR }),
};
// The rate limit (stage 07) out of the way: 10 connections for seconds are far past 300 a minute.
const UNLIMITED = { RATE_LIMIT: '1000000000', REDIS_KEY_PREFIX: 'bp:lab:stack-cost:' };
servers['stage 09, same stack before stage 10'] = await startStageServer({
  cwd: STAGE_09_DIR,
  env: { DATABASE_URL: db.url, JWT_SECRET: SECRET, ACCESS_LOG: 'false', ...UNLIMITED },
});
for (const [name, off] of Object.entries(VARIANTS)) {
  servers[name] = await startStageServer({
    cwd: STAGE_DIR,
    entry: 'labs/lib/stack-server.ts',
    env: {
      DATABASE_URL: db.url,
      JWT_SECRET: SECRET,
      LAB_OFF: off,
      LOG_LEVEL: 'info',
      ...UNLIMITED,
    },
  });
}
try {
  const urls: Record<string, string> = {};
  for (const [name, server] of Object.entries(servers)) {
    urls[name] = await ticketUrl(server);
    await measure(urls[name], 1); // warm-up: let V8 optimise the hot path
  }
  const runs: Record<string, number[]> = {};
  for (let r = 1; r <= ROUNDS; r++) {
    for (const [name, url] of Object.entries(urls)) {
      const run = await measure(url, DURATION_S);
      runs[name] = [...(runs[name] ?? []), run];
      process.stderr.write(`round ${r}: ${name} done\n`);
    }
  }
  const mean = (name: string) => (runs[name] ?? []).reduce((a, b) => a + b, 0) / ROUNDS;
  const baseline = mean('stage 02, in memory');
  const full = mean('stage 10, everything on');
  const rows = Object.keys(urls).map((name) => ({
    variant: name,
    'req/s': Math.round(mean(name)),
    'vs stage 02': round(mean(name) / baseline),
    'vs everything on': round(mean(name) / full),
  }));
  console.log(`GET one ticket, ${CONNECTIONS} connections × ${DURATION_S} s, ${ROUNDS} rounds\n`);
  printTable(rows);
  console.log(
    `\nStage 10 serves ${round(full / baseline)}× stage 02's requests per second (goal ≥ 0.5×).`,
  );
  const file = writeResults('stack-cost', {
    setup: { CONNECTIONS, DURATION_S, ROUNDS },
    runs,
    rows,
  });
  console.log(`Saved ${file}`);
} finally {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
  await db.close();
}
