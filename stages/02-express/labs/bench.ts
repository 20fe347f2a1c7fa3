// Lab: what Express and our middleware chain cost per request — and what the Node runtime does
// to that cost. Starts stage 01's and this stage's real servers (child processes on 127.0.0.1),
// creates one ticket in each, then has autocannon fetch that ticket as fast as it can: same
// connections, same duration, same request bytes, interleaved rounds after a warm-up. Per server:
// req/s, p50 and p99, and the server's CPU per request (from /proc/<pid>/stat: on a shared
// machine req/s moves with the neighbours, the CPU a request costs does not).
// `--node <path>` (repeatable) runs both servers on another Node as well, side by side in the
// same run: the runtime is a performance decision too. Saves lab-results/bench.json.
// Run: pnpm lab:bench [--node /path/to/another/node]
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { cpuSeconds } from '@backend-path/shared/testing/process-cpu';
import { type RunningServer, startStageServer } from '@backend-path/shared/testing/server';
import autocannon from 'autocannon';

const STAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
// Compared with on purpose: stage 01 is the raw node:http baseline this stage adds Express to.
const STAGE_01_DIR = fileURLToPath(new URL('../../01-raw-http', import.meta.url));
const CONNECTIONS = 10;
const DURATION_S = 5;
const WARM_UP_S = 2;
const ROUNDS = 3;
// Stage 01 ignores it; stage 02 needs it. Both get the same request.
const HEADERS = { 'X-User-Id': FIXTURE_USERS.alice.id };

interface Measurement {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** The server's CPU microseconds per request; null without /proc (macOS). */
  cpuUsPerRequest: number | null;
}
type Stage = 'baseline' | 'current';
// By folder name: this lab is carried into later stages, where the current stage is a later one.
const LABEL: Record<Stage, string> = { baseline: '01-raw-http', current: basename(STAGE_DIR) };

interface Runtime {
  path: string;
  version: string;
}

function runtimes(): Runtime[] {
  const { values } = parseArgs({ options: { node: { type: 'string', multiple: true } } });
  const others = (values.node ?? []).map((path) => {
    let version = '';
    try {
      version = execFileSync(path, ['-v'], { encoding: 'utf8' }).trim();
    } catch {
      console.error(`--node ${path}: not a Node binary that runs here.`);
      process.exit(2);
    }
    return { path, version };
  });
  // The Node running this lab is always measured: a --node naming it again would run it twice.
  const self = realpathSync(process.execPath);
  const extra = others.filter((other) => realpathSync(other.path) !== self);
  return [{ path: process.execPath, version: process.version }, ...extra];
}

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

async function measure(server: RunningServer, url: string, durationS: number) {
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
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    cpuUsPerRequest:
      cpuBefore === null || cpuAfter === null
        ? null
        : ((cpuAfter - cpuBefore) * 1e6) / result.requests.total,
  } satisfies Measurement;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function summarise(runs: Measurement[]): Measurement {
  const cpu = runs.map((r) => r.cpuUsPerRequest).filter((v): v is number => v !== null);
  return {
    requestsPerSecond: Math.round(median(runs.map((r) => r.requestsPerSecond))),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    requests: runs.reduce((n, r) => n + r.requests, 0),
    cpuUsPerRequest: cpu.length === runs.length ? Math.round(median(cpu)) : null,
  };
}

async function save(report: object): Promise<string> {
  const file = new URL('../lab-results/bench.json', import.meta.url);
  await mkdir(new URL('.', file), { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return fileURLToPath(file);
}

async function main(): Promise<void> {
  const nodes = runtimes();
  const servers: { runtime: Runtime; stage: Stage; server: RunningServer; url: string }[] = [];
  try {
    for (const runtime of nodes) {
      for (const [stage, cwd] of [
        ['baseline', STAGE_01_DIR],
        ['current', STAGE_DIR],
      ] as const) {
        const server = await startStageServer({ cwd, node: runtime.path });
        servers.push({ runtime, stage, server, url: '' });
        const entry = servers.at(-1);
        if (entry) entry.url = `${server.url}/api/v1/tickets/${await createTicket(server)}`;
      }
    }
    for (const { server, url } of servers) await measure(server, url, WARM_UP_S); // V8 optimises first
    console.log(
      `GET one ticket, ${CONNECTIONS} connections × ${DURATION_S} s, ${ROUNDS} rounds, interleaved; ` +
        `${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)}\n`,
    );
    const runs = new Map<(typeof servers)[number], Measurement[]>(servers.map((s) => [s, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const entry of servers) {
        const run = await measure(entry.server, entry.url, DURATION_S);
        runs.get(entry)?.push(run);
        console.log(
          `round ${round}  Node ${entry.runtime.version.padEnd(9)} ${LABEL[entry.stage].padEnd(14)}` +
            `${String(run.requestsPerSecond).padStart(7)} req/s  ${String(Math.round(run.cpuUsPerRequest ?? 0)).padStart(4)} µs CPU/req`,
        );
      }
    }
    const report = servers.map((entry) => ({
      node: entry.runtime.version,
      stage: LABEL[entry.stage],
      ...summarise(runs.get(entry) ?? []),
    }));
    console.log(`\nmedian of ${ROUNDS} rounds:`);
    console.log('Node        server          req/s    p50     p99   CPU µs/request');
    for (const row of report) {
      console.log(
        `${row.node.padEnd(11)} ${row.stage.padEnd(14)} ${String(row.requestsPerSecond).padStart(6)} ` +
          `${`${row.p50Ms} ms`.padStart(7)} ${`${row.p99Ms} ms`.padStart(7)}   ${row.cpuUsPerRequest ?? 'n/a'}`,
      );
    }
    console.log();
    const ratios = nodes.map((runtime) => {
      const of = (stage: Stage) =>
        report.find((r) => r.node === runtime.version && r.stage === LABEL[stage]);
      const raw = of('baseline');
      const current = of('current');
      const throughput = raw && current ? raw.requestsPerSecond / current.requestsPerSecond : NaN;
      const cpu =
        raw?.cpuUsPerRequest && current?.cpuUsPerRequest
          ? current.cpuUsPerRequest / raw.cpuUsPerRequest
          : NaN;
      console.log(
        `Node ${runtime.version}: ${LABEL.current} costs ${cpu.toFixed(2)}× the CPU per request of raw node:http; ` +
          `raw node:http serves ${throughput.toFixed(2)}× its requests per second`,
      );
      return { node: runtime.version, cpuRatio: cpu, throughputRatio: throughput };
    });
    const file = await save({
      measuredAt: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '', load: loadavg()[0] },
      setup: {
        connections: CONNECTIONS,
        durationS: DURATION_S,
        warmUpS: WARM_UP_S,
        rounds: ROUNDS,
      },
      results: report,
      ratios,
    });
    console.log(`Saved ${file}`);
  } finally {
    await Promise.all(servers.map(({ server }) => server.stop()));
  }
}

await main();
