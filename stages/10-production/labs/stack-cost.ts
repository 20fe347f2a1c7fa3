// Lab: what the production stack costs, and what its request logging costs. Two parts, one run:
//  1. The stack: GET one ticket through each stage's real server (`src/server.ts`), a child
//     process printing its lines to stdout — stage 02 (Express, tickets in memory, no auth; as
//     `pnpm start` runs it), stage 09 (PostgreSQL + Redis, auth, validation, cache, rate limit;
//     a text access line) and this stage, both with NODE_ENV=production on the same database.
//  2. The request logging alone: the same request through a bare Express app
//     (labs/lib/logging-server.ts) with nothing, this stage's access line + request context,
//     the context alone, the line on pino's own redaction, and pino-http with its defaults. On
//     the real path logging is tens of microseconds in hundreds, within the noise of a shared
//     machine; here it is half of what the process does, so two loggers can be weighed.
// autocannon runs here, the same connections and headers for all, interleaved rounds after a
// warm-up; each server's CPU per request comes from /proc/<pid>/stat (what a request costs,
// whatever the neighbours do), and req/s is printed beside it. Readings: stage 10 ÷ stage 02 (no
// goal), stage 10 ÷ stage 09 (goal ≥ 0.7×), and this stage's logging ÷ pino-http's defaults
// (goal ≤ 1.25×). Saves lab-results/stack-cost.json. Run: pnpm lab:stack-cost

import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  FIXTURE_ACCOUNT_LIST,
  FIXTURE_USER_LIST,
  FIXTURE_USERS,
} from '@backend-path/shared/seed/fixtures';
import { getFreePort } from '@backend-path/shared/testing/ports';
import { cpuSeconds } from '@backend-path/shared/testing/process-cpu';
import { type RunningServer, startStageServer } from '@backend-path/shared/testing/server';
import autocannon from 'autocannon';
import { createTokenService } from '../src/auth/tokens.ts';
import { DEFAULT_DATABASE_URL, loadConfig } from '../src/config.ts';
import { closePool, createPool } from '../src/db/pool.ts';
import { insertPeople } from './lib/lab-data.ts';
import { openLabDatabase } from './lib/lab-database.ts';
import { median, printTable, round, writeResults } from './lib/report.ts';

const STAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
// Compared with on purpose: the first Express stage, and the stage this one extends.
const STAGE_02_DIR = fileURLToPath(new URL('../../02-express', import.meta.url));
const STAGE_09_DIR = fileURLToPath(new URL('../../09-docker', import.meta.url));
const CONNECTIONS = 10;
const STACK = { rounds: 5, durationS: 4 };
const LOGGING = { rounds: 7, durationS: 3 };
const SECRET = randomBytes(32).toString('base64url'); // production refuses a guessable one
const TOKEN = createTokenService(SECRET, loadConfig().token).issue(FIXTURE_USERS.alice, 0);
const HEADERS = {
  Authorization: `Bearer ${TOKEN.accessToken}`,
  'X-User-Id': FIXTURE_USERS.alice.id, // stage 02 names its caller this way (no auth yet)
  'Content-Type': 'application/json',
};
const STAGE_02 = 'stage 02 (in memory)';
const STAGE_09 = 'stage 09';
const STAGE_10 = 'stage 10';
// Part 2's servers, by what runs after requestId() (LAB_LOGGING, labs/lib/logging-server.ts).
const NO_LOGGING = 'nothing';
const STAGE_LOGGING = "stage 10's access line + request context";
const CONTEXT_ONLY = "stage 10's request context alone";
const PINO_REDACT = "stage 10's access line, redacted by pino's `redact` paths";
const PINO_HTTP = 'pino-http with its defaults';
const LOGGING_VARIANTS: Record<string, string> = {
  [NO_LOGGING]: 'off',
  [STAGE_LOGGING]: 'stage',
  [CONTEXT_ONLY]: 'context',
  [PINO_REDACT]: 'pino-redact',
  [PINO_HTTP]: 'pino-http',
};
const STAGE_09_GOAL = 0.7;
const LOGGING_GOAL = 1.25;

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
  /** The server's CPU microseconds per request served; null without /proc. */
  cpuUsPerRequest: number | null;
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
  const cpuUsPerRequest =
    cpuBefore === null || cpuAfter === null
      ? null
      : ((cpuAfter - cpuBefore) * 1e6) / result.requests.total;
  return { reqPerSec: result.requests.average, cpuUsPerRequest };
}

/** Warm-up (V8 optimises the hot path), then interleaved rounds: every server in each round. */
async function rounds(
  targets: Record<string, { server: RunningServer; url: string }>,
  plan: { rounds: number; durationS: number },
  label: string,
): Promise<Record<string, Run[]>> {
  for (const { server, url } of Object.values(targets)) await measure(server, url, 2);
  const runs: Record<string, Run[]> = {};
  for (let r = 1; r <= plan.rounds; r++) {
    for (const [name, { server, url }] of Object.entries(targets)) {
      runs[name] = [...(runs[name] ?? []), await measure(server, url, plan.durationS)];
    }
    process.stderr.write(`${label}: round ${r} of ${plan.rounds} done\n`);
  }
  return runs;
}

// Medians over the rounds: on a shared machine one round can be slowed by a neighbour.
const rps = (runs: Run[]) => median(runs.map((run) => run.reqPerSec));
const cpuOf = (runs: Run[]) =>
  runs.every((run) => run.cpuUsPerRequest !== null)
    ? median(runs.map((run) => run.cpuUsPerRequest as number))
    : null;
const tableRows = (runs: Record<string, Run[]>) =>
  Object.entries(runs).map(([name, mine]) => ({
    server: name,
    'req/s': Math.round(rps(mine)),
    'CPU µs/request': cpuOf(mine) === null ? 'n/a' : Math.round(cpuOf(mine) as number),
    'each round': mine
      .map((run) => (run.cpuUsPerRequest === null ? 'n/a' : Math.round(run.cpuUsPerRequest)))
      .join(' '),
  }));
const times = (value: number) => `${round(value)}×`;
// A difference of two medians can come out below zero: that is "too small to measure" here.
const microseconds = (value: number) =>
  value < 1 ? `under 1 µs (measured ${Math.round(value)})` : `${Math.round(value)} µs`;
const verdict = (met: boolean) => (met ? 'met' : 'NOT met');

const db = await stageLabDatabase();
// Each server opens a ticket as alice: start from none (the open-ticket limit is 10).
await db.pool.query('TRUNCATE tickets, idempotency_keys CASCADE');
await insertPeople(db.pool, { accounts: FIXTURE_ACCOUNT_LIST, users: FIXTURE_USER_LIST });
// As the image runs them (NODE_ENV=production), with what production asks to be set. The rate
// limit (stage 07) still runs, out of the way: 10 connections for seconds are far past 300 a
// minute. Each server counts under keys of its own.
const inProduction = async (name: string) => ({
  NODE_ENV: 'production',
  // /metrics' own port (9464 in production unless told): a free one, like the API's
  INTERNAL_PORT: String(await getFreePort()),
  DATABASE_URL: db.url,
  REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  CORS_ORIGINS: 'https://app.example.com',
  JWT_SECRET: SECRET,
  RATE_LIMIT: '1000000000',
  REDIS_KEY_PREFIX: `bp:lab:stack-cost:${name}:`,
});
const servers: RunningServer[] = [];
const start = async (options: Parameters<typeof startStageServer>[0]) => {
  const server = await startStageServer(options);
  servers.push(server);
  return server;
};
try {
  const stack: Record<string, { server: RunningServer; url: string }> = {};
  const stackServers: Record<string, RunningServer> = {
    [STAGE_02]: await start({ cwd: STAGE_02_DIR }),
    [STAGE_09]: await start({ cwd: STAGE_09_DIR, env: await inProduction('09') }),
    [STAGE_10]: await start({ cwd: STAGE_DIR, env: await inProduction('10') }),
  };
  for (const [name, server] of Object.entries(stackServers)) {
    stack[name] = { server, url: await ticketUrl(server) };
  }
  const logging: Record<string, { server: RunningServer; url: string }> = {};
  for (const [name, variant] of Object.entries(LOGGING_VARIANTS)) {
    const server = await start({
      cwd: STAGE_DIR,
      entry: 'labs/lib/logging-server.ts',
      env: { LOG_LEVEL: 'info', LAB_LOGGING: variant },
    });
    logging[name] = { server, url: `${server.url}/api/v1/tickets/${crypto.randomUUID()}` };
  }

  const stackRuns = await rounds(stack, STACK, 'the stack');
  const loggingRuns = await rounds(logging, LOGGING, 'the request logging');

  const load = loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
  const machine = `Node ${process.versions.node}, ${availableParallelism()} cores, load average ${load}`;
  const stackRows = tableRows(stackRuns);
  const loggingRows = tableRows(loggingRuns);
  console.log(
    `\n1. The stack: GET one ticket, ${CONNECTIONS} connections × ${STACK.durationS} s, median ` +
      `of ${STACK.rounds} rounds; stages 09 and 10 on PostgreSQL + Redis. ${machine}\n`,
  );
  printTable(stackRows);
  console.log(
    `\n2. The request logging alone (a bare Express app, the same request): ` +
      `${LOGGING.durationS} s × ${LOGGING.rounds} rounds\n`,
  );
  printTable(loggingRows);

  // Capacity: 1 / CPU per request, what one Node process could serve with a core to itself.
  const readings: string[] = [];
  const s = (name: string) => stackRuns[name] ?? [];
  const cpu02 = cpuOf(s(STAGE_02));
  const cpu09 = cpuOf(s(STAGE_09));
  const cpu10 = cpuOf(s(STAGE_10));
  readings.push(
    `Stage 10 ÷ stage 02, no goal: throughput ${times(rps(s(STAGE_10)) / rps(s(STAGE_02)))}` +
      (cpu02 !== null && cpu10 !== null
        ? `, CPU per request ${times(cpu10 / cpu02)} (capacity ${times(cpu02 / cpu10)})`
        : '') +
      '.',
  );
  const throughput09 = rps(s(STAGE_10)) / rps(s(STAGE_09));
  const capacity09 = cpu09 !== null && cpu10 !== null ? cpu09 / cpu10 : null;
  readings.push(
    `Stage 10 ÷ stage 09, goal ≥ ${STAGE_09_GOAL}× (throughput and capacity): throughput ` +
      `${times(throughput09)}${capacity09 === null ? '' : `, capacity ${times(capacity09)}`} → ` +
      `${verdict(throughput09 >= STAGE_09_GOAL && (capacity09 ?? 1) >= STAGE_09_GOAL)}.`,
  );
  // What a logger costs: its server's CPU per request minus the bare one's, round by round
  // (interleaved rounds share their neighbours), then the median.
  const cost = (name: string) => {
    const mine = loggingRuns[name] ?? [];
    const none = loggingRuns[NO_LOGGING] ?? [];
    if (cpuOf(mine) === null || cpuOf(none) === null) return null;
    return median(
      mine.map((run, r) => (run.cpuUsPerRequest as number) - (none[r]?.cpuUsPerRequest as number)),
    );
  };
  const costs = {
    stage: cost(STAGE_LOGGING),
    contextOnly: cost(CONTEXT_ONLY),
    withPinoRedact: cost(PINO_REDACT),
    pinoHttpDefaults: cost(PINO_HTTP),
  };
  if (costs.stage === null || costs.pinoHttpDefaults === null) {
    readings.push('Logging: weighed in CPU per request, which needs /proc (Linux).');
  } else {
    const ratio = costs.stage / costs.pinoHttpDefaults;
    readings.push(
      `Logging, goal ≤ ${LOGGING_GOAL}× pino-http with its defaults: stage 10's access line + ` +
        `request context ${microseconds(costs.stage)} a request, pino-http ` +
        `${microseconds(costs.pinoHttpDefaults)} → ${times(ratio)} → ` +
        `${verdict(costs.pinoHttpDefaults > 0 && ratio <= LOGGING_GOAL)}.`,
      `Of stage 10's: the request context alone ${microseconds(costs.contextOnly ?? 0)}, the ` +
        `rest is the line. The same line redacted by pino's own paths instead: ` +
        `${microseconds(costs.withPinoRedact ?? 0)}.`,
    );
  }
  console.log(`\n${readings.join('\n')}`);
  // The README's block, ready to paste between its markers (stage 10, For instructors › Measurements).
  const markdown = (first: string, rows: ReturnType<typeof tableRows>) => [
    `| ${first} | req/s | CPU µs/request |`,
    '|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${row.server} | ${row['req/s'].toLocaleString('en-US')} | ${row['CPU µs/request']} |`,
    ),
  ];
  const readme = [
    '<!-- lab:stack-cost:start -->',
    `Measured by \`pnpm lab:stack-cost\` on ${new Date().toISOString().slice(0, 10)}: ${machine}.`,
    '',
    `**1. The stack**: GET one ticket, ${CONNECTIONS} connections, median of ${STACK.rounds} ` +
      `rounds × ${STACK.durationS} s; stages 09 and 10 on PostgreSQL + Redis, NODE_ENV=production.`,
    '',
    ...markdown('server', stackRows),
    '',
    `**2. The request logging alone**: the same request through a bare Express app, median of ` +
      `${LOGGING.rounds} rounds × ${LOGGING.durationS} s.`,
    '',
    ...markdown('after requestId()', loggingRows),
    '',
    ...readings.map((line) => `- ${line}`),
    '<!-- lab:stack-cost:end -->',
  ];
  console.log(`\nFor the README, between its markers:\n\n${readme.join('\n')}\n`);
  const file = writeResults('stack-cost', {
    setup: { CONNECTIONS, STACK, LOGGING, cores: availableParallelism(), loadavg: loadavg() },
    stack: { runs: stackRuns, rows: stackRows },
    logging: { runs: loggingRuns, rows: loggingRows, costs },
    readings,
  });
  console.log(`Saved ${file}`);
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  await db.close();
}
