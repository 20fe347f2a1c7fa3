// Lab: does a deploy drop requests? A client connected straight to the server (no balancer) keeps
// 8 keep-alive connections busy with GET /api/v1/tickets; after 3 s the server gets SIGTERM, as
// a platform sends it on every deploy. Counted at the client: answers, resets (ECONNRESET: a
// request the server threw away unread), and refusals (the listener is closed: the client knows
// at once and goes elsewhere, which is the point of closing it). Servers, interleaved rounds:
//  - `server.close()` alone (labs/lib/close-only-server.mjs: stages 03–09's old shutdown), no delay;
//  - this stage's src/server.ts (src/lifecycle/shutdown.ts), NODE_ENV=production, no drain delay;
//  - the same with a 2 s drain delay (SHUTDOWN_DRAIN_DELAY_MS=2000, what a balancer that polls
//    readiness needs): the connections still in the kernel's listen queue when the listener
//    closes are reset by TCP, whatever the app does — a balancer's retry covers them.
// The README's "No reset for a keep-alive client" numbers come from this table.
// Run: pnpm lab:shutdown [rounds]  (default 5; ≈ 15 s a round). Saves lab-results/shutdown.json.

import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  FIXTURE_ACCOUNT_LIST,
  FIXTURE_USER_LIST,
  FIXTURE_USERS,
} from '@backend-path/shared/seed/fixtures';
import { keepAliveLoad, type LoadReport } from '@backend-path/shared/testing/keep-alive-load';
import { getFreePort } from '@backend-path/shared/testing/ports';
import { type RunningServer, startStageServer } from '@backend-path/shared/testing/server';
import { createTokenService } from '../src/auth/tokens.ts';
import { DEFAULT_DATABASE_URL, loadConfig } from '../src/config.ts';
import { closePool, createPool } from '../src/db/pool.ts';
import { insertPeople } from './lib/lab-data.ts';
import { openLabDatabase } from './lib/lab-database.ts';
import { printTable, writeResults } from './lib/report.ts';

const STAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = Number(process.argv[2] ?? 5);
const CONNECTIONS = 8;
const LOAD_MS = 3_000;
const SECRET = randomBytes(32).toString('base64url'); // production refuses a guessable one
const TOKEN = createTokenService(SECRET, loadConfig().token).issue(FIXTURE_USERS.alice, 0);
const CLOSE_ONLY = 'server.close() alone (stages 03–09 before)';
const STAGE_NO_DELAY = 'stage 10, no drain delay';
const STAGE_DELAY = 'stage 10, 2 s drain delay';

if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
  console.error('Usage: pnpm lab:shutdown [rounds]   (a whole number ≥ 1; default 5)');
  process.exit(2);
}

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

interface Stop {
  answered: number;
  resets: number;
  refused: number;
  other: number;
  serverErrors: number;
  exitCode: number | null;
}

/** Load for LOAD_MS, SIGTERM, then keep sending until every connection was refused. */
async function oneStop(server: RunningServer, headers: Record<string, string>): Promise<Stop> {
  const load = keepAliveLoad({
    url: server.url,
    connections: CONNECTIONS,
    stopOnRefused: true,
    next: () => ({ path: '/api/v1/tickets', headers }),
  });
  await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
  server.kill('SIGTERM');
  const exit = await server.exited;
  const report: LoadReport = await load.stop();
  const count = (predicate: (code: string) => boolean) =>
    Object.entries(report.errors)
      .filter(([code]) => predicate(code))
      .reduce((sum, [, n]) => sum + n, 0);
  const statuses = Object.entries(report.statuses);
  return {
    answered: statuses.reduce((sum, [, n]) => sum + n, 0),
    resets: count((code) => code.startsWith('ECONNRESET') || code.startsWith('EPIPE')),
    refused: count((code) => code === 'ECONNREFUSED'),
    other: count((code) => !/^(ECONNRESET|EPIPE|ECONNREFUSED)/.test(code)),
    serverErrors: statuses.filter(([s]) => Number(s) >= 500).reduce((sum, [, n]) => sum + n, 0),
    exitCode: exit.code,
  };
}

const db = await stageLabDatabase();
const results: Record<string, Stop[]> = {
  [CLOSE_ONLY]: [],
  [STAGE_NO_DELAY]: [],
  [STAGE_DELAY]: [],
};
try {
  await db.pool.query('TRUNCATE tickets CASCADE');
  await insertPeople(db.pool, { accounts: FIXTURE_ACCOUNT_LIST, users: FIXTURE_USER_LIST });
  const production = async (delayMs: number) => ({
    NODE_ENV: 'production',
    DATABASE_URL: db.url,
    REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    CORS_ORIGINS: 'https://app.example.com',
    JWT_SECRET: SECRET,
    RATE_LIMIT: '1000000000',
    REDIS_KEY_PREFIX: `bp:lab:shutdown:${randomBytes(4).toString('hex')}:`,
    INTERNAL_PORT: String(await getFreePort()),
    LOG_LEVEL: 'warn',
    SHUTDOWN_DRAIN_DELAY_MS: String(delayMs),
  });
  const auth = { Authorization: `Bearer ${TOKEN.accessToken}` };
  console.log(
    `${ROUNDS} rounds; ${CONNECTIONS} keep-alive connections, SIGTERM after ${LOAD_MS / 1000} s; ` +
      `Node ${process.version}, ${availableParallelism()} cores, load ${loadavg()[0]?.toFixed(1)}.\n`,
  );
  for (let round = 1; round <= ROUNDS; round++) {
    const closeOnly = await startStageServer({
      cwd: STAGE_DIR,
      entry: 'labs/lib/close-only-server.mjs',
      env: { SHUTDOWN_DRAIN_DELAY_MS: '0' },
    });
    results[CLOSE_ONLY]?.push(await oneStop(closeOnly, {}));
    for (const [name, delay] of [
      [STAGE_NO_DELAY, 0],
      [STAGE_DELAY, 2000],
    ] as const) {
      const server = await startStageServer({
        cwd: STAGE_DIR,
        env: await production(delay),
        timeoutMs: 30_000,
      });
      results[name]?.push(await oneStop(server, auth));
    }
    process.stdout.write(`round ${round}/${ROUNDS} done\n`);
  }
} finally {
  await db.close();
}

const sum = (stops: Stop[], key: keyof Stop) => stops.reduce((n, s) => n + (s[key] ?? 0), 0);
const rows = Object.entries(results).map(([name, stops]) => ({
  server: name,
  'requests answered': sum(stops, 'answered'),
  'resets (all runs)': sum(stops, 'resets'),
  'runs with a reset': `${stops.filter((s) => s.resets > 0).length} of ${stops.length}`,
  'resets per run': stops.map((s) => s.resets).join(' '),
  '5xx': sum(stops, 'serverErrors'),
  'other errors': sum(stops, 'other'),
  'exit codes': [...new Set(stops.map((s) => s.exitCode))].join(' '),
}));
console.log();
printTable(rows);
const clean = results[STAGE_NO_DELAY]?.every((s) => s.resets === 0 && s.serverErrors === 0);
console.log(
  `\nStage 10 with no drain delay: ${clean ? 'no reset and no 5xx in any run' : 'RESETS OR 5xx SEEN (see the table)'}.`,
);
writeResults('shutdown', { rounds: ROUNDS, connections: CONNECTIONS, loadMs: LOAD_MS, results });
