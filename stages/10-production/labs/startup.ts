// lab:startup — what running the sources through tsx costs at every start, next to the compiled
// build. Starts the server RUNS times each way (`node --import tsx src/server.ts`, as `pnpm dev`
// does, and `node dist/server.js`, as the image does), measures the time until /api/v1/health
// answers and the resident memory then, and prints medians with ratios; saves
// lab-results/startup.json. No database needed: nothing queries before the first request.
// Run: pnpm lab:startup in the stage folder (builds dist/ first; about 30 s).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getFreePort } from '@backend-path/shared/testing/server';
import { median, printTable, round, writeResults } from './lib/report.ts';

const STAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 7;
const WAYS = {
  'tsx src/server.ts': ['--import', 'tsx', 'src/server.ts'],
  'node dist/server.js': ['dist/server.js'],
} as const;

/** Resident memory of a process in MB, from /proc (Linux); NaN elsewhere. */
function rssMb(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb) / 1024;
  } catch {
    return Number.NaN;
  }
}

async function startOnce(args: readonly string[]): Promise<{ ms: number; rss: number }> {
  const port = await getFreePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: STAGE_DIR,
    stdio: 'ignore',
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: String(port),
      JWT_SECRET: randomBytes(32).toString('base64url'),
      ACCESS_LOG: 'false',
    },
  });
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
        (res) => res.ok,
        () => false,
      );
      if (ok) break;
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return { ms: performance.now() - started, rss: rssMb(child.pid ?? 0) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

console.log('Building dist/ (pnpm build)…');
execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: STAGE_DIR, stdio: 'ignore' });
const results: Record<string, { ms: number; rss: number }> = {};
for (const [name, args] of Object.entries(WAYS)) {
  const runs: { ms: number; rss: number }[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await startOnce(args));
  results[name] = { ms: median(runs.map((r) => r.ms)), rss: median(runs.map((r) => r.rss)) };
}
const compiled = results['node dist/server.js'] ?? { ms: 1, rss: 1 };
printTable(
  Object.entries(results).map(([name, { ms, rss }]) => ({
    'start command': name,
    'ms to first 200 (median)': Math.round(ms),
    'vs compiled': `${round(ms / compiled.ms, 1)}×`,
    'RSS MB': Math.round(rss),
    'RSS vs compiled': `${round(rss / compiled.rss, 1)}×`,
  })),
);
console.log(`(${RUNS} starts each)`);
console.log(`Saved ${writeResults('startup', { runs: RUNS, results })}`);
