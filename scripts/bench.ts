import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, type } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import {
  connectClient,
  redactUrl,
  withDatabase,
} from '@backend-path/shared/testing/postgres-admin';
import { type ResolvedRedis, resolveRedis } from '@backend-path/shared/testing/redis-server';
import { renderChart } from './lib/bench/chart.ts';
import { dropStageDatabases, prepareDatabases, type StageDatabase } from './lib/bench/databases.ts';
import { measure } from './lib/bench/measure.ts';
import { benchStage, FULL, info, QUICK, QUICK_REQUESTS, routesOf } from './lib/bench/plan.ts';
import { type BenchResults, type Cell, failures, ROUTES } from './lib/bench/results.ts';
import { renderTable } from './lib/bench/table.ts';
import { startTarget, type Target } from './lib/bench/targets.ts';
import { fail, type Io, parseCli, runAsProgram } from './lib/cli.ts';
import { postgresAnswers } from './lib/net.ts';
import { discoverStages, findStage } from './lib/stages.ts';

const usage = `
Usage: pnpm bench [--quick] [--stages 1,3,10] [--out <file.svg>] [--chart-only]

Starts every stage's real server on the same data (the lab's 1,000,000 tickets in a PostgreSQL
database per stage, from 03 on; 01 and 02 keep 20 tickets in memory), drives the same routes with
autocannon (10 connections; one ticket, a list page, a list with comments, create + delete, login)
in interleaved rounds, and prints one table: req/s, p50, p99 and the ratio to the previous stage
and to stage 01, with the machine it ran on. Saves the numbers in bench-results/ and, for a full
run of every stage, the chart docs/bench.svg and its numbers docs/bench.json (the root README
shows the chart). Needs PostgreSQL (DATABASE_URL or localhost:5432) and Redis (REDIS_URL,
localhost:6379 or a redis-server on PATH). Every server runs with NODE_ENV=production.

The first full run seeds a template database per set of migrations (about a minute and a half);
later runs reuse them. A full run then takes about eight minutes on two cores.

Options:
  --quick           10,000 tickets, a few requests per cell, no chart: does every stage still
                    serve every route? Exits 1 if any request failed (CI runs this). A full
                    run lists failed requests (a route giving up under load) but exits 0
  --stages <list>   only these stages (numbers or folders, comma-separated)
  --out <file>      write the chart here instead (also with --quick): docs/ stays as it is
  --chart-only      no measuring: print the table of docs/bench.json and redraw docs/bench.svg
  --root <dir>      the repository to use (default: this one)
  -h, --help        show this help
`;

// One command, as every root command (lib/cli.ts): main(argv, io), run when node runs this file.
export async function main(argv: string[], io: Io): Promise<number> {
  const cli = parseCli(
    argv,
    {
      usage,
      options: {
        quick: { type: 'boolean' },
        stages: { type: 'string' },
        out: { type: 'string' },
        'chart-only': { type: 'boolean' },
      },
    },
    io.env,
  );
  const { root } = cli;
  const quick = cli.values.quick === true;
  const out = typeof cli.values.out === 'string' ? resolve(cli.values.out) : undefined;
  const resultsDir = join(root, 'bench-results');
  const began = Date.now();
  const log = (line: string) =>
    process.stderr.write(
      `[bench ${String(Math.round((Date.now() - began) / 1000)).padStart(3)} s] ${line}\n`,
    );

  function writeChart(results: BenchResults, file: string): void {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, renderChart(results));
    console.log(`Chart: ${relative(process.cwd(), file) || file}`);
  }

  // What the root README shows: the chart and the results it was drawn from, side by side.
  const committedChart = join(root, 'docs', 'bench.svg');
  const committedResults = join(root, 'docs', 'bench.json');

  if (cli.values['chart-only']) {
    let results: BenchResults;
    try {
      results = JSON.parse(readFileSync(committedResults, 'utf8')) as BenchResults;
    } catch {
      fail(`No results in ${committedResults}: run \`pnpm bench\` first.`);
    }
    console.log(renderTable(results));
    writeChart(results, out ?? committedChart);
    return 0;
  }

  let stages = discoverStages(root).map(benchStage);
  if (typeof cli.values.stages === 'string') {
    const all = discoverStages(root);
    try {
      const wanted = cli.values.stages.split(',').map((arg) => findStage(all, arg.trim()).number);
      stages = stages.filter((stage) => wanted.includes(stage.number));
    } catch (error: unknown) {
      fail(error instanceof Error ? error.message : String(error), usage);
    }
  }
  if (stages.length === 0) fail(`No stages in ${root}/stages.`);
  const timing = quick ? QUICK : FULL;
  const load = () => Math.round((loadavg()[0] ?? 0) * 100) / 100;
  const loadAtStart = load();

  const DEFAULT_DATABASE_URL = 'postgres://postgres:postgres@localhost:5432/backend_path';
  const adminUrl = withDatabase(process.env.DATABASE_URL || DEFAULT_DATABASE_URL, 'postgres');
  let databases = new Map<number, StageDatabase>();
  let redis: ResolvedRedis | undefined;
  const targets: Target[] = [];
  let postgresVersion: string | undefined;

  async function prepare(): Promise<void> {
    if (stages.some((stage) => stage.storage === 'postgres')) {
      if (!(await postgresAnswers(adminUrl))) {
        fail(
          `No PostgreSQL answers at ${redactUrl(adminUrl)}; stages 03 on need one (the embedded ` +
            'PGlite serves one database, one query at a time: no bench). Start one ' +
            '(docker compose up -d postgres), set DATABASE_URL, or run `pnpm run doctor`.',
        );
      }
      const client = await connectClient(adminUrl);
      postgresVersion = (await client.query('SELECT version()')).rows[0]?.version.split(' on ')[0];
      await client.end();
      log(`PostgreSQL: ${redactUrl(adminUrl)} (${postgresVersion})`);
      databases = await prepareDatabases(adminUrl, stages, timing, log);
    }
    if (stages.some((stage) => stage.redis)) redis = await resolveRedis();
    const services = {
      redisUrl: redis?.url,
      bcryptCost: timing.bcryptCost,
      runId: randomBytes(4).toString('hex'),
    };
    // Two at a time, one per core: ten servers starting at once starve each other's event loops,
    // and a stage with Redis then takes Redis for slow (it pauses logins).
    for (let i = 0; i < stages.length; i += 2) {
      const pair = stages.slice(i, i + 2);
      const started = await Promise.allSettled(
        pair.map((stage) => startTarget(stage, databases.get(stage.number), services)),
      );
      for (const outcome of started) {
        if (outcome.status === 'rejected') continue;
        targets.push(outcome.value); // cleanUp() stops it, whatever happens next
        log(`${outcome.value.stage.folder} listening at ${outcome.value.server.url}`);
      }
      const failed = started.find((outcome) => outcome.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  async function run(): Promise<BenchResults> {
    const cells: Cell[] = targets.flatMap((target) =>
      routesOf(target.stage).map((route) => ({ stage: target.stage.number, route, runs: [] })),
    );
    const targetOf = (cell: Cell) => targets.find((t) => t.stage.number === cell.stage) as Target;
    const name = (cell: Cell) =>
      `${targetOf(cell).stage.folder} ${ROUTES.find((r) => r.id === cell.route)?.label}`;
    if (timing.warmUpS > 0) {
      log(`warm-up: ${cells.length} cells × ${timing.warmUpS} s (V8 optimises the hot paths)`);
      for (const cell of cells) {
        await measure(targetOf(cell), cell.route, timing.warmUpS, timing.connections);
      }
    }
    for (let round = 1; round <= timing.rounds; round++) {
      // Every other round backwards: a cell measured early once is measured late the next time.
      const order = round % 2 === 1 ? cells : [...cells].reverse();
      for (const [i, cell] of order.entries()) {
        const length =
          timing.durationS > 0
            ? timing.durationS
            : { requests: QUICK_REQUESTS[cell.route === 'login' ? 'login' : 'other'] };
        const result = await measure(targetOf(cell), cell.route, length, timing.connections);
        cell.runs.push(result);
        const failedNote = result.failures
          ? `, ${result.failed} FAILED (${Object.entries(result.failures)
              .filter(([, n]) => n > 0)
              .map(([what, n]) => `${n} ${what}`)
              .join(', ')})`
          : '';
        log(
          `round ${round}/${timing.rounds} [${i + 1}/${cells.length}] ${name(cell)}: ` +
            `${result.requestsPerSecond} req/s${failedNote}`,
        );
      }
    }
    return {
      version: 1,
      measuredAt: new Date().toISOString(),
      quick,
      machine: {
        cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
        cores: cpus().length,
        node: process.version,
        os: `${type()} ${release()}`,
        loadAverage: { start: loadAtStart, end: load() },
        ...(postgresVersion ? { postgres: postgresVersion } : {}),
      },
      setup: timing,
      stages: stages.map(info),
      cells,
    };
  }

  function save(results: BenchResults): void {
    mkdirSync(resultsDir, { recursive: true });
    const json = `${JSON.stringify(results, null, 2)}\n`;
    const stamp = results.measuredAt.replace(/[:.]/g, '-');
    writeFileSync(join(resultsDir, `${quick ? 'quick' : 'full'}-${stamp}.json`), json);
    writeFileSync(join(resultsDir, quick ? 'quick.json' : 'latest.json'), json);
  }

  async function cleanUp(): Promise<void> {
    await Promise.all(targets.map((target) => target.server.stop()));
    if (databases.size > 0) await dropStageDatabases(adminUrl, databases).catch(() => {});
    await redis?.close();
  }

  let exitCode = 0;
  try {
    await prepare();
    const results = await run();
    save(results);
    console.log(renderTable(results));
    if (out) writeChart(results, out);
    else if (!quick && stages.length === discoverStages(root).length) {
      // Only a full run of every stage replaces what the README shows; CI's --quick never does.
      writeFileSync(committedResults, `${JSON.stringify(results, null, 2)}\n`);
      writeChart(results, committedChart);
    }
    const failed = failures(results);
    if (failed.length > 0 && quick) {
      console.error(
        `\nRequests failed, so a stage no longer serves a route:\n  ${failed.join('\n  ')}`,
      );
      exitCode = 1;
    } else if (failed.length > 0) {
      // Under the full load a route may give up (a statement timeout): a result, shown as such.
      console.log(
        `\nCells with failed requests (in the table's last column):\n  ${failed.join('\n  ')}`,
      );
    }
    log('done');
  } catch (error: unknown) {
    console.error(error instanceof Error ? error.message : error);
    exitCode = 1;
  } finally {
    await cleanUp();
  }
  return exitCode;
}

// exit: at once, not when every handle (autocannon's agents, pg's sockets) has closed.
await runAsProgram(import.meta.url, main, { exit: true });
