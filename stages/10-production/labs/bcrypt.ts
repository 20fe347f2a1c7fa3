// lab:bcrypt — what a password hash costs, and where that cost lands.
// 1. Time per hash at bcrypt costs 10–13 on this machine (each +1 doubles it).
// 2. The p99 latency of a cheap route (GET /ping) while logins run at cost 12, with bcrypt's
//    blocking hashSync and with its async API (libuv's thread pool): stage 01's event-loop
//    lesson again. Prints tables with ratios and saves lab-results/bcrypt.json.
// Run: pnpm lab:bcrypt in the stage folder (about 40 s).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import bcrypt from 'bcrypt';
import { median, printTable, writeResults } from './lib/report.ts';

const COSTS = [10, 11, 12, 13];
const LOGIN_COST = 12;
const LOGIN_CLIENTS = 4; // logins in flight at any moment
const DURATION_S = 6;
const SERVER = fileURLToPath(new URL('./lib/bcrypt-server.ts', import.meta.url));

async function timePerHash(cost: number): Promise<number> {
  const runs = cost >= 13 ? 3 : 5;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await bcrypt.hash('correct-horse-battery-staple', cost);
    times.push(performance.now() - started);
  }
  return median(times);
}

async function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER, String(LOGIN_COST)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  return { child, url: `http://127.0.0.1:${chunk.toString().trim()}` };
}

/** Logins in a loop, LOGIN_CLIENTS at a time, until `until`; returns how many completed. */
async function loginLoad(url: string, mode: 'sync' | 'async', until: number): Promise<number> {
  let done = 0;
  await Promise.all(
    Array.from({ length: LOGIN_CLIENTS }, async () => {
      while (Date.now() < until) {
        await fetch(`${url}/login/${mode}`, { method: 'POST' }).then((r) => r.text());
        done++;
      }
    }),
  );
  return done;
}

async function pingUnder(url: string, mode: 'none' | 'sync' | 'async') {
  const until = Date.now() + DURATION_S * 1000;
  const logins = mode === 'none' ? Promise.resolve(0) : loginLoad(url, mode, until);
  const result = await autocannon({ url: `${url}/ping`, connections: 10, duration: DURATION_S });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    pings: result.requests.total,
    max: result.latency.max,
    logins: await logins,
  };
}

console.log(`bcrypt: time per hash (median), Node ${process.version}\n`);
const hashRows: Record<string, string | number>[] = [];
const perCost: Record<string, number> = {};
for (const cost of COSTS) {
  const ms = await timePerHash(cost);
  perCost[cost] = ms;
  hashRows.push({
    cost,
    'ms per hash': Math.round(ms),
    'vs cost 10': `${(ms / (perCost[10] ?? ms)).toFixed(1)}×`,
    'guesses/s per core': (1000 / ms).toFixed(1),
  });
}
printTable(hashRows);

console.log(
  `\nGET /ping while ${LOGIN_CLIENTS} logins at a time hash at cost ${LOGIN_COST} (${DURATION_S} s each)\n`,
);
const { child, url } = await startServer();
const load: Record<string, Awaited<ReturnType<typeof pingUnder>>> = {};
try {
  await pingUnder(url, 'none'); // warm-up
  for (const mode of ['none', 'async', 'sync'] as const) load[mode] = await pingUnder(url, mode);
} finally {
  child.kill();
}
const base = load.none?.p99 || 1;
// Blocked for the whole run, the server may answer no ping at all: then there is no latency.
const ms = (value: number | undefined, served: number | undefined) =>
  served ? (value ?? 0) : 'none answered';
printTable(
  (['none', 'async', 'sync'] as const).map((mode) => ({
    logins: mode === 'none' ? 'none' : mode === 'sync' ? 'hashSync' : 'await hash',
    'ping p50 ms': ms(load[mode]?.p50, load[mode]?.pings),
    'ping p99 ms': ms(load[mode]?.p99, load[mode]?.pings),
    'p99 vs none': load[mode]?.pings ? `${((load[mode]?.p99 ?? 0) / base).toFixed(0)}×` : '∞',
    'ping max ms': ms(load[mode]?.max, load[mode]?.pings),
    'pings served': load[mode]?.pings ?? 0,
    'logins done': load[mode]?.logins ?? 0,
  })),
);
const file = writeResults('bcrypt', { perCost, load, loginCost: LOGIN_COST });
console.log(`\nSaved ${file}`);
