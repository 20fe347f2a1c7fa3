// Lab: what Express and our middleware chain cost per request.
// Starts stage 01's and this stage's real servers (child processes on 127.0.0.1), creates one ticket
// in each, then has autocannon fetch that ticket as fast as it can: same connections, same
// duration, same request bytes. Two rounds, alternating, after a warm-up. Prints req/s, p50 and
// p99 for both and saves lab-results/bench.json. Run: pnpm lab:bench in the stage folder
// From stage 03 on, this stage's server runs on the lab database (labs/lib/lab-database.ts), with
// the fixture users in it: the ticket it creates never lands in your dev data.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FIXTURE_ACCOUNT_LIST,
  FIXTURE_USER_LIST,
  FIXTURE_USERS,
} from '@backend-path/shared/seed/fixtures';
import { type RunningServer, startStageServer } from '@backend-path/shared/testing/server';
import autocannon from 'autocannon';
import { createTokenService } from '../src/auth/tokens.ts';
import { loadConfig } from '../src/config.ts';
import { insertPeople } from './lib/lab-data.ts';
import { openLabDatabase } from './lib/lab-database.ts';

const STAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const STAGE_01_DIR = fileURLToPath(new URL('../../01-raw-http', import.meta.url));
const CONNECTIONS = 10;
const DURATION_S = 5;
const WARM_UP_S = 2;
const ROUNDS = 2;
const LAB_DEADLINE_MS = 90_000;
// From stage 05 the server needs a secret and the request a token: the lab makes both (alice
// is in the lab database at token_version 0). Stage 01 ignores the header.
const LAB_JWT_SECRET = 'lab-bench-secret-of-at-least-32-characters';
const TOKEN = createTokenService(LAB_JWT_SECRET, loadConfig().token).issue(FIXTURE_USERS.alice, 0);
const HEADERS = { Authorization: `Bearer ${TOKEN.accessToken}` };

interface Measurement {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
}
type Stage = 'baseline' | 'current';
// By folder name: this lab is carried into later stages, where the current stage is a later one.
const LABEL: Record<Stage, string> = { baseline: '01-raw-http', current: basename(STAGE_DIR) };

async function createTicket(server: RunningServer): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/tickets`, {
    method: 'POST',
    headers: { ...HEADERS, 'Content-Type': 'application/json' },
    body: JSON.stringify({ subject: 'Benchmark me', priority: 'high' }),
  });
  const body = (await res.json()) as { data: { id: string } };
  if (res.status !== 201) throw new Error(`create → ${res.status} ${JSON.stringify(body)}`);
  return body.data.id;
}

async function measure(url: string, durationS: number): Promise<Measurement> {
  const result = await autocannon({
    url,
    headers: HEADERS,
    connections: CONNECTIONS,
    duration: durationS,
  });
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0) throw new Error(`${url}: ${failed} failed requests`);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
  };
}

function mean(values: number[]): number {
  return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10;
}

function summarise(runs: Measurement[]): Measurement {
  return {
    requestsPerSecond: Math.round(mean(runs.map((r) => r.requestsPerSecond))),
    p50Ms: mean(runs.map((r) => r.p50Ms)),
    p99Ms: mean(runs.map((r) => r.p99Ms)),
    requests: runs.reduce((n, r) => n + r.requests, 0),
  };
}

async function save(report: object): Promise<string> {
  const file = new URL('../lab-results/bench.json', import.meta.url);
  await mkdir(new URL('.', file), { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return fileURLToPath(file);
}

async function main(): Promise<void> {
  const deadline = setTimeout(() => {
    console.error(`Lab did not finish within ${LAB_DEADLINE_MS / 1000} s; giving up.`);
    process.exit(1); // startStageServer kills its children on exit
  }, LAB_DEADLINE_MS);
  const db = await openLabDatabase();
  await insertPeople(db.pool, { accounts: FIXTURE_ACCOUNT_LIST, users: FIXTURE_USER_LIST });
  const servers = {
    baseline: await startStageServer({ cwd: STAGE_01_DIR }),
    current: await startStageServer({
      cwd: STAGE_DIR,
      env: { DATABASE_URL: db.url, JWT_SECRET: LAB_JWT_SECRET },
    }),
  } satisfies Record<Stage, RunningServer>;
  try {
    const urls = {} as Record<Stage, string>;
    for (const [stage, server] of Object.entries(servers) as [Stage, RunningServer][]) {
      urls[stage] = `${server.url}/api/v1/tickets/${await createTicket(server)}`;
      await measure(urls[stage], WARM_UP_S); // let V8 optimise the hot path first
    }
    console.log(
      `GET one ticket, ${CONNECTIONS} connections × ${DURATION_S} s, ${ROUNDS} rounds per stage\n`,
    );
    const runs: Record<Stage, Measurement[]> = { baseline: [], current: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const stage of Object.keys(urls) as Stage[]) {
        const run = await measure(urls[stage], DURATION_S);
        runs[stage].push(run);
        console.log(
          `round ${round} ${LABEL[stage].padEnd(12)} ${String(run.requestsPerSecond).padStart(6)} req/s   ` +
            `p50 ${run.p50Ms} ms   p99 ${run.p99Ms} ms`,
        );
      }
    }
    const raw = summarise(runs.baseline);
    const current = summarise(runs.current);
    const ratio = Math.round((raw.requestsPerSecond / current.requestsPerSecond) * 100) / 100;
    const line = (stage: Stage, m: Measurement) =>
      `mean    ${LABEL[stage].padEnd(12)} ${m.requestsPerSecond} req/s, p50 ${m.p50Ms} ms, p99 ${m.p99Ms} ms`;
    console.log(`\n${line('baseline', raw)}\n${line('current', current)}`);
    console.log(`raw node:http serves ${ratio}× the requests per second of ${LABEL.current}`);
    const file = await save({
      measuredAt: new Date().toISOString(),
      machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? '' },
      setup: {
        connections: CONNECTIONS,
        durationS: DURATION_S,
        warmUpS: WARM_UP_S,
        rounds: ROUNDS,
      },
      runs,
      stages: LABEL,
      mean: { baseline: raw, current },
      ratioRequestsPerSecond: ratio,
    });
    console.log(`Saved ${file}`);
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
    await db.close();
    clearTimeout(deadline);
  }
}

await main();
