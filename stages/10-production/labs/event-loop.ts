// Lab: what a blocked event loop costs everyone else.
// Starts this stage's real server (a child process on 127.0.0.1), then for each variant keeps the
// heavy report busy while timing the cheap /health route every ~10 ms. Prints a table and saves
// the numbers to lab-results/event-loop.json. Run: pnpm --filter @backend-path/stage-01-raw-http lab:event-loop
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { callerFactory } from '@backend-path/shared/capabilities/callers';
import { callerModeOf, readStageContract } from '@backend-path/shared/capabilities/registry';
import { startStageServer } from '@backend-path/shared/testing/server';

const STAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const PHASE_MS = 4_000;
const HEAVY_CONCURRENCY = 2;
const PROBE_INTERVAL_MS = 10;
const LAB_DEADLINE_MS = 90_000;

type Variant = 'idle' | 'blocking' | 'worker';
interface LoopDelay {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}
interface PhaseResult {
  variant: Variant;
  heavyRequests: number;
  heavyMeanMs: number;
  health: { requests: number; p50Ms: number; p99Ms: number; maxMs: number };
  eventLoopDelay: LoopDelay;
}

/** Who the lab asks as: nobody here; from stage 05 on an admin (the report is an admin's). */
let asCaller: Record<string, string> = {};

async function get(url: string): Promise<{ ms: number; body: unknown }> {
  const started = performance.now();
  const res = await fetch(url, { headers: asCaller });
  const body: unknown = await res.json();
  if (!res.ok) throw new Error(`GET ${url} → ${res.status} ${JSON.stringify(body)}`);
  return { ms: performance.now() - started, body };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const value = sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return Math.round(value * 10) / 10;
}

async function runPhase(base: string, variant: Variant): Promise<PhaseResult> {
  // A fresh window.
  await fetch(`${base}/api/v1/metrics/event-loop/reset`, { method: 'POST', headers: asCaller });
  const end = performance.now() + PHASE_MS;
  const heavyTimes: number[] = [];
  const heavy = Array.from({ length: variant === 'idle' ? 0 : HEAVY_CONCURRENCY }, async () => {
    while (performance.now() < end) {
      heavyTimes.push((await get(`${base}/api/v1/reports/ticket-stats?mode=${variant}`)).ms);
    }
  });
  const health: number[] = [];
  while (performance.now() < end) {
    health.push((await get(`${base}/api/v1/health`)).ms);
    await sleep(PROBE_INTERVAL_MS);
  }
  await Promise.all(heavy);
  const loop = (await get(`${base}/api/v1/metrics/event-loop`)).body as { data: LoopDelay };
  return {
    variant,
    heavyRequests: heavyTimes.length,
    heavyMeanMs: Math.round(heavyTimes.reduce((a, b) => a + b, 0) / (heavyTimes.length || 1)),
    health: {
      requests: health.length,
      p50Ms: percentile(health, 50),
      p99Ms: percentile(health, 99),
      maxMs: percentile(health, 100),
    },
    eventLoopDelay: loop.data,
  };
}

function printTable(results: PhaseResult[]): void {
  const row = (cells: (string | number)[]) =>
    console.log(cells.map((cell, i) => String(cell).padStart(i === 0 ? 8 : 10)).join(' │ '));
  row([
    'variant',
    'heavy req',
    'heavy mean',
    'probes',
    'health p50',
    'health p99',
    'health max',
    'loop p99',
  ]);
  for (const r of results) {
    const { health: h } = r;
    row([
      r.variant,
      r.heavyRequests,
      `${r.heavyMeanMs} ms`,
      h.requests,
      `${h.p50Ms} ms`,
      `${h.p99Ms} ms`,
      `${h.maxMs} ms`,
      `${r.eventLoopDelay.p99Ms} ms`,
    ]);
  }
}

async function save(results: PhaseResult[], ratioP99: number): Promise<string> {
  const file = new URL('../lab-results/event-loop.json', import.meta.url);
  await mkdir(new URL('.', file), { recursive: true });
  const report = {
    measuredAt: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? '' },
    setup: {
      phaseMs: PHASE_MS,
      heavyConcurrency: HEAVY_CONCURRENCY,
      probeIntervalMs: PROBE_INTERVAL_MS,
    },
    results,
    ratioP99,
  };
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return fileURLToPath(file);
}

const ratio = (a: number, b: number): number => Math.round((a / Math.max(b, 0.1)) * 10) / 10;

async function main(): Promise<void> {
  const deadline = setTimeout(() => {
    console.error(`Lab did not finish within ${LAB_DEADLINE_MS / 1000} s; giving up.`);
    process.exit(1); // startStageServer kills its child on exit
  }, LAB_DEADLINE_MS);
  const server = await startStageServer({ cwd: STAGE_DIR });
  try {
    // A caller as this stage knows them; from stage 05 on, a new account's first user: its admin.
    const { capabilities } = readStageContract(STAGE_DIR);
    asCaller = (await callerFactory(callerModeOf(capabilities), server.url)()).headers;
    console.log(`Server on ${server.url}: ${PHASE_MS / 1000} s per variant,`);
    console.log(
      `${HEAVY_CONCURRENCY} heavy requests in flight, /health probed every ~${PROBE_INTERVAL_MS} ms.\n`,
    );
    // Warm-up: the first worker compiles the TypeScript it loads; do not measure that.
    await get(`${server.url}/api/v1/reports/ticket-stats?mode=worker`);
    await get(`${server.url}/api/v1/reports/ticket-stats?mode=blocking`);
    const results: PhaseResult[] = [];
    for (const variant of ['idle', 'blocking', 'worker'] as const) {
      results.push(await runPhase(server.url, variant));
    }
    printTable(results);
    const [, blocking, worker] = results as [PhaseResult, PhaseResult, PhaseResult];
    const healthRatio = ratio(blocking.health.p99Ms, worker.health.p99Ms);
    const loopRatio = ratio(blocking.eventLoopDelay.p99Ms, worker.eventLoopDelay.p99Ms);
    console.log(`\n/health p99, blocking ÷ worker: ${healthRatio}× (goal: ≥ 10×)`);
    console.log(`event-loop delay p99, blocking ÷ worker: ${loopRatio}×`);
    console.log(`Saved ${await save(results, healthRatio)}`);
  } finally {
    await server.stop();
    clearTimeout(deadline);
  }
}

await main();
