// Lab: what the production stack costs. GET one ticket through stage 02 (Express, tickets in
// memory, no auth) and through this stage with its data in memory too (stage 08's fakes for
// PostgreSQL and Redis): the same work minus the database, so the difference is the middleware —
// JWT + caller lookup, validation, the rate limit, pino, helmet, metrics. Then the same with one
// middleware switched off at a time (createApp's `features`), and finally stage 10 and stage 09
// on real PostgreSQL and Redis: what the database adds. Every server is a child process;
// autocannon runs here, same connections and duration for all, interleaved rounds after a warm-up.
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
import { cpuSeconds } from './lib/process-cpu.ts';
import { printTable, round, writeResults } from './lib/report.ts';

const STAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const STAGE_02_DIR = fileURLToPath(new URL('../../02-express', import.meta.url));
// The same database, auth and validation without this stage's middleware: what stage 10 adds.
const STAGE_09_DIR = fileURLToPath(new URL('../../09-docker', import.meta.url));
const CONNECTIONS = 10;
const DURATION_S = 4;
const ROUNDS = 3;
const SECRET = 'lab-stack-cost-secret-of-at-least-32-characters';
const TOKEN = createTokenService(SECRET, loadConfig().token).issue(FIXTURE_USERS.alice, 0);
const HEADERS = {
  Authorization: `Bearer ${TOKEN.accessToken}`,
  'X-User-Id': FIXTURE_USERS.alice.id, // stage 02 names its caller this way (no auth yet)
  'Content-Type': 'application/json',
};
const BASELINE = 'stage 02, in memory';
const FULL = 'stage 10, in memory, everything on';
// Stage 10 in memory (LAB_DATA=memory) with one thing changed (labs/lib/stack-server.ts): each
// middleware's share, and what AsyncLocalStorage costs on its own.
const WITHOUT_LOGGING = '… without pino logging';
const VARIANTS: Record<string, Record<string, string>> = {
  [FULL]: {},
  [WITHOUT_LOGGING]: { LAB_OFF: 'logging' },
  '… without pino logging, AsyncLocalStorage still on': { LAB_OFF: 'logging', LAB_ALS: '1' },
  '… without helmet': { LAB_OFF: 'helmet' },
  '… without metrics': { LAB_OFF: 'metrics' },
  '… without all three': { LAB_OFF: 'logging,helmet,metrics' },
};
const ON_POSTGRES = 'stage 10 on PostgreSQL + Redis';
const ON_POSTGRES_VARIANTS: Record<string, Record<string, string>> = {
  [ON_POSTGRES]: {},
  [`${ON_POSTGRES}, without pino logging`]: { LAB_OFF: 'logging' },
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

interface Run {
  reqPerSec: number;
  /** The server's CPU milliseconds per request served; null without /proc. */
  cpuMsPerRequest: number | null;
}

async function measure(server: RunningServer, url: string, durationS: number): Promise<Run> {
  const cpuBefore = cpuSeconds(server.pid);
  const result = await autocannon({
    url,
    headers: HEADERS,
    connections: CONNECTIONS,
    duration: durationS,
  });
  const cpuAfter = cpuSeconds(server.pid);
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0) throw new Error(`${url}: ${failed} failed requests`);
  const cpuMsPerRequest =
    cpuBefore === null || cpuAfter === null
      ? null
      : ((cpuAfter - cpuBefore) * 1000) / result.requests.total;
  return { reqPerSec: result.requests.average, cpuMsPerRequest };
}

const db = await stageLabDatabase();
// Each run opens 7 tickets as alice: start from none (the open-ticket limit is 10).
await db.pool.query('TRUNCATE tickets, idempotency_keys CASCADE');
await insertPeople(db.pool, { accounts: FIXTURE_ACCOUNT_LIST, users: FIXTURE_USER_LIST });
const servers: Record<string, RunningServer> = {
  [BASELINE]: await startStageServer({ cwd: STAGE_02_DIR }),
};
// The rate limit (stage 07) still runs, out of the way: 10 connections for seconds are far past
// 300 a minute.
const UNLIMITED = { RATE_LIMIT: '1000000000', REDIS_KEY_PREFIX: 'bp:lab:stack-cost:' };
const stage10 = (env: Record<string, string>) =>
  startStageServer({
    cwd: STAGE_DIR,
    entry: 'labs/lib/stack-server.ts',
    env: { DATABASE_URL: db.url, JWT_SECRET: SECRET, LOG_LEVEL: 'info', ...UNLIMITED, ...env },
  });
for (const [name, env] of Object.entries(VARIANTS)) {
  servers[name] = await stage10({ LAB_DATA: 'memory', ...env });
}
for (const [name, env] of Object.entries(ON_POSTGRES_VARIANTS)) {
  servers[name] = await stage10({ LAB_DATA: 'postgres', ...env });
}
servers['stage 09 on PostgreSQL + Redis (no stage 10 middleware)'] = await startStageServer({
  cwd: STAGE_09_DIR,
  env: { DATABASE_URL: db.url, JWT_SECRET: SECRET, ACCESS_LOG: 'false', ...UNLIMITED },
});
try {
  const urls: Record<string, string> = {};
  for (const [name, server] of Object.entries(servers)) {
    urls[name] = await ticketUrl(server);
    await measure(server, urls[name], 1); // warm-up: let V8 optimise the hot path
  }
  const runs: Record<string, Run[]> = {};
  for (let r = 1; r <= ROUNDS; r++) {
    for (const [name, url] of Object.entries(urls)) {
      const run = await measure(servers[name] as RunningServer, url, DURATION_S);
      runs[name] = [...(runs[name] ?? []), run];
      process.stderr.write(`round ${r}: ${name} done\n`);
    }
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const rps = (name: string) => mean((runs[name] ?? []).map((run) => run.reqPerSec));
  const cpu = (name: string) => {
    const values = (runs[name] ?? []).map((run) => run.cpuMsPerRequest);
    return values.every((value) => value !== null) ? mean(values as number[]) : null;
  };
  // What one server process can serve when it has a core to itself: 1 / its CPU per request.
  // Node serves on one thread, so this is its throughput ceiling; the ratio compares ceilings.
  const capacity = (name: string) => {
    const ms = cpu(name);
    return ms === null ? null : 1000 / ms;
  };
  const rows = Object.keys(urls).map((name) => {
    const ms = cpu(name);
    const ceiling = capacity(name);
    return {
      variant: name,
      'req/s': Math.round(rps(name)),
      'req/s vs stage 02': round(rps(name) / rps(BASELINE)),
      'server CPU ms/request': ms === null ? 'n/a' : round(ms, 3),
      'capacity vs stage 02': ceiling === null ? 'n/a' : round(ceiling / (capacity(BASELINE) ?? 1)),
    };
  });
  console.log(`GET one ticket, ${CONNECTIONS} connections × ${DURATION_S} s, ${ROUNDS} rounds\n`);
  printTable(rows);
  // Two readings of the goal: req/s (both servers driven alike, in one run) and capacity (1 / the
  // server's CPU per request: what one core could serve, whatever the load generator and the
  // neighbours do). On a 2-core machine they can disagree; the README reads both.
  const throughput = rps(FULL) / rps(BASELINE);
  const full = cpu(FULL);
  const baseline = cpu(BASELINE);
  const verdict = (ratio: number) =>
    `${round(ratio)}× (goal ≥ 0.5×: ${ratio >= 0.5 ? 'met' : 'NOT met'})`;
  console.log(
    `\nThe production stack (stage 10 in memory) against stage 02: throughput ${verdict(throughput)}` +
      (full !== null && baseline !== null
        ? `, capacity ${verdict(baseline / full)}.\nA request costs ${round(full, 3)} ms of CPU ` +
          `instead of ${round(baseline, 3)}; logging (pino, pino-http, AsyncLocalStorage) is ` +
          `${round(full - (cpu(WITHOUT_LOGGING) ?? full), 3)} ms of it.`
        : '.'),
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
