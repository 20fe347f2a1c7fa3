import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_ARGS, chromiumForTest } from '@backend-path/shared/testing/chromium';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderChart } from '../lib/bench/chart.ts';
import { type BenchStage, benchStage, routesOf } from '../lib/bench/plan.ts';
import {
  type BenchResults,
  type Cell,
  failures,
  listGoals,
  type RouteId,
  type Run,
  rows,
} from '../lib/bench/results.ts';
import { renderTable } from '../lib/bench/table.ts';
import { serverEnv } from '../lib/bench/targets.ts';
import { discoverStages } from '../lib/stages.ts';
import { renderStagesPicture } from '../lib/stages-picture.ts';
import { REPO_ROOT } from './helpers/run-script.ts';

// The bench's pure parts, on recorded results: no server, no database. The real end-to-end run
// (`pnpm bench --quick`: ten servers, a seeded database each, ≈ 1 minute of a 2-core machine) is
// its own step in .ci/run, not a test here: it would triple this suite's time (issue 11).

const run = (requestsPerSecond: number, failed = 0): Run => ({
  requestsPerSecond,
  p50Ms: 1,
  p99Ms: 2,
  requests: requestsPerSecond * 3,
  failed,
});

function recorded(cells: [number, RouteId, Run[]][]): BenchResults {
  return {
    version: 1,
    measuredAt: '2026-12-01T10:00:00.000Z',
    quick: false,
    machine: {
      cpu: 'Test CPU',
      cores: 2,
      node: 'v20.20.2',
      os: 'Linux',
      loadAverage: { start: 0.5, end: 1.5 },
    },
    setup: { connections: 10, durationS: 3, warmUpS: 1, rounds: 2, rows: 1000, bcryptCost: 12 },
    stages: [
      { number: 1, folder: '01-raw-http', storage: 'memory', redis: false },
      { number: 2, folder: '02-express', storage: 'memory', redis: false },
      { number: 3, folder: '03-postgres', storage: 'postgres', redis: false },
    ],
    cells: cells.map(([stage, route, runs]): Cell => ({ stage, route, runs })),
  };
}

const THREE_STAGES = recorded([
  [1, 'ticket', [run(1000), run(3000)]],
  [2, 'ticket', [run(1000), run(1000)]],
  [3, 'ticket', [run(250), run(250)]],
  [3, 'comments', [run(100), run(100)]],
]);

describe('pnpm bench: the table, from recorded results', () => {
  it('When a cell has two rounds, then its req/s is their mean and the ratios divide by the previous stage and by stage 01', () => {
    const ticket = rows(THREE_STAGES).filter((row) => row.route === 'ticket');

    expect(ticket.map((row) => row.summary?.requestsPerSecond)).toEqual([2000, 1000, 250]);
    expect(ticket.map((row) => row.vsPrevious)).toEqual([null, 0.5, 0.25]);
    expect(ticket.map((row) => row.vsFirst)).toEqual([null, 0.5, 0.125]);
  });

  it('When a stage lacks a route, then its row says n/a and the next stage has no ratio to it', () => {
    const table = renderTable(THREE_STAGES);
    const comments = table.split('\n\n').find((block) => block.startsWith('list + comments'));

    expect(comments?.split('\n').slice(3)).toEqual([
      '01-raw-http (memory)    n/a',
      '02-express (memory)     n/a',
      '03-postgres             100       1       2       –     –',
    ]);
    expect(table).toContain('one ticket: GET /api/v1/tickets/:id');
    expect(table).toContain('03-postgres             250       1       2    0.25  0.13');
  });

  it('When the table is printed, then the machine, its load and the setup are under it', () => {
    const table = renderTable(THREE_STAGES);

    expect(table).toContain('Machine: Test CPU, 2 cores, Linux, Node v20.20.2');
    expect(table).toContain('Load average (1 min) 0.50 → 1.50');
    expect(table).toContain(
      '10 connections, 3 s per cell × 2 interleaved rounds after a 1 s warm-up',
    );
  });

  it('When requests failed or none was answered, then failures names the stage and the route', () => {
    const broken = recorded([
      [1, 'ticket', [run(1000)]],
      [2, 'list', [{ ...run(900, 12), failures: { '4xx': 0, '5xx': 12, errors: 0, timeouts: 0 } }]],
      [3, 'write', [{ ...run(0), requests: 0 }]],
    ]);

    expect(renderTable(broken)).toContain(
      '02-express (memory)     900       1       2       –     –      12',
    );
    expect(failures(THREE_STAGES)).toEqual([]);
    expect(failures(broken)).toEqual([
      '02-express GET /api/v1/tickets: 12 of 2700 requests failed (12 5xx)',
      '03-postgres POST /api/v1/tickets, then DELETE it: no request was answered',
    ]);
  });

  it('When a database stage serves its list at half its single ticket or better, with no failure, then its goal is met', () => {
    const results = recorded([
      [2, 'ticket', [run(4000)]],
      [2, 'list', [run(100)]],
      [3, 'ticket', [run(1000), run(1000)]],
      [3, 'list', [run(500), run(500)]],
    ]);
    const slow = recorded([
      [3, 'ticket', [run(1000)]],
      [3, 'list', [{ ...run(600, 3), failures: { '4xx': 0, '5xx': 3, errors: 0, timeouts: 0 } }]],
    ]);
    const tooSlow = recorded([
      [3, 'ticket', [run(1000)]],
      [3, 'list', [run(499)]],
    ]);

    // Stage 02 keeps its tickets in memory: there is no index to prove, so no goal.
    expect(listGoals(results).map((g) => [g.stage.number, g.ratio, g.met])).toEqual([
      [3, 0.5, true],
    ]);
    expect(listGoals(slow)[0]).toMatchObject({ ratio: 0.6, failed: 3, met: false });
    expect(listGoals(tooSlow)[0]).toMatchObject({ ratio: 0.499, met: false });
    expect(renderTable(results)).toContain('03-postgres     0.50×  met');
    expect(renderTable(slow)).toContain('03-postgres     0.60×  3 failed  NOT MET');
    expect(renderTable(tooSlow)).toContain('03-postgres     0.50×  NOT MET');
    expect(listGoals(THREE_STAGES)).toEqual([]);
  });

  it('When the memory stages have both cells, then their list ÷ one ticket is printed below the goals, as the floor, with no verdict', () => {
    const results = recorded([
      [1, 'ticket', [run(1000)]],
      [1, 'list', [run(460)]],
      [3, 'ticket', [run(1000)]],
      [3, 'list', [run(470)]],
    ]);

    const table = renderTable(results);

    expect(table).toContain('03-postgres     0.47×  NOT MET');
    expect(table).toContain(
      '01-raw-http (memory)  0.46×  no goal: what 20 tickets of JSON cost against one, with no database',
    );
    expect(listGoals(results).map((goal) => goal.stage.number)).toEqual([3]);
  });

  it("When the bench reads this repo's stages, then each gets the caller and routes its files give it", () => {
    const stages = discoverStages(REPO_ROOT).map(benchStage);
    const by = (n: number) => {
      const found = stages.find((stage) => stage.number === n);
      if (!found) throw new Error(`no stage ${n}`);
      return found;
    };

    expect([1, 2, 3, 5].map((n) => by(n).caller)).toEqual(['fixed', 'header', 'header', 'token']);
    expect([1, 2, 3, 7].map((n) => by(n).storage)).toEqual([
      'memory',
      'memory',
      'postgres',
      'postgres',
    ]);
    expect(routesOf(by(1))).toEqual(['ticket', 'list', 'write']);
    expect(routesOf(by(10))).toEqual(['ticket', 'list', 'comments', 'write', 'login']);
  });
});

describe('pnpm bench: how each server is started', () => {
  const stages = discoverStages(REPO_ROOT).map(benchStage);
  const stage = (n: number) => stages.find((s) => s.number === n) as BenchStage;
  const services = { redisUrl: 'redis://localhost:6379', bcryptCost: 12, runId: 'r1' };
  const db = {
    url: 'postgres://postgres@127.0.0.1:5432/backend_path_bench_10',
    caller: { id: 'u', email: 'e', accountId: 'a' },
    ticketId: 't',
  };

  it('When a stage has Redis and login, then it runs in production with its limits lifted and keys of its own', () => {
    const env = serverEnv(stage(10), db, services);

    expect(env).toMatchObject({
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      BCRYPT_COST: '12',
      // production refuses the development value redis://localhost:6379: the same server
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: 'bp:bench:r1:10:',
      RATE_LIMIT: '1000000000',
      LOGIN_LIMIT_PER_EMAIL: '1000000',
    });
    expect(env.JWT_SECRET?.length).toBeGreaterThanOrEqual(32);
  });

  it('When a stage keeps tickets in memory, then it gets no database, secret or Redis', () => {
    const env = serverEnv(stage(1), undefined, services);

    expect(Object.keys(env).sort()).toEqual(['CORS_ORIGINS', 'NODE_ENV']);
  });
});

describe('pnpm bench: the pictures the root README shows', () => {
  const docs = join(REPO_ROOT, 'docs');
  const results = JSON.parse(readFileSync(join(docs, 'bench.json'), 'utf8')) as BenchResults;
  let browser: Browser | undefined;
  let skip: string | undefined;

  beforeAll(async () => {
    const found = chromiumForTest('the bench chart');
    if ('skip' in found) skip = found.skip;
    else browser = await chromium.launch({ executablePath: found.path, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Every text box that overlaps another one, as "a / b" pairs (none in a readable picture). */
  const OVERLAPS = `(() => {
    const boxes = [...document.querySelectorAll('svg text')].map((t) => ({
      text: t.textContent, box: t.getBoundingClientRect() }));
    const pairs = [];
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => {
      const x = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
      const y = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
      if (x > 0.5 && y > 0.5) pairs.push(a.text + ' / ' + b.text);
    }));
    return pairs;
  })()`;
  const OUTSIDE = `(() => {
    const svg = document.querySelector('svg').getBoundingClientRect();
    return [...document.querySelectorAll('svg text')]
      .filter((t) => { const b = t.getBoundingClientRect();
        return b.left < svg.left || b.right > svg.right || b.top < svg.top || b.bottom > svg.bottom; })
      .map((t) => t.textContent);
  })()`;

  it('When the chart is redrawn from docs/bench.json, then it is docs/bench.svg (drawn from a real full run)', () => {
    expect(results.quick).toBe(false);
    expect(results.stages.map((stage) => stage.number)).toEqual(
      discoverStages(REPO_ROOT).map((stage) => stage.number),
    );
    expect(readFileSync(join(docs, 'bench.svg'), 'utf8')).toBe(renderChart(results));
  });

  it('When the chart is shown in Chromium, then every cell is a bar of nonzero width or n/a, and no text overlaps', async (context) => {
    if (!browser) return context.skip(skip);
    const tab = await browser.newPage();
    await tab.setContent(`<body style="margin:0">${renderChart(results)}</body>`);

    for (const row of rows(results)) {
      const cell = `[data-stage="${row.stage.number}"][data-route="${row.route}"]`;
      if (row.summary) {
        const bar = await tab.locator(`rect.bar${cell}`).boundingBox();
        expect(bar?.width, `${cell} bar`).toBeGreaterThan(0);
        await expect
          .poll(() => tab.locator(`text.value${cell}`).isVisible(), { timeout: 10_000 })
          .toBe(true);
      } else {
        expect(await tab.locator(`text.na${cell}`).textContent()).toBe('n/a');
      }
    }
    const stageLabels = await tab.locator('text.stage').allTextContents();
    expect(stageLabels.filter((_, i) => i % 2 === 0)).toEqual(results.stages.map((s) => s.folder));
    expect(await tab.evaluate(OVERLAPS)).toEqual([]);
    expect(await tab.evaluate(OUTSIDE)).toEqual([]);
    // Nor does a bar run into a number: every bar lies below or beside every text.
    const barsOverText = await tab.evaluate(`(() => {
      const texts = [...document.querySelectorAll('svg text')].map((t) => t.getBoundingClientRect());
      return [...document.querySelectorAll('rect.bar')].filter((bar) => {
        const b = bar.getBoundingClientRect();
        return texts.some((t) => Math.min(t.right, b.right) - Math.max(t.left, b.left) > 0.5 &&
          Math.min(t.bottom, b.bottom) - Math.max(t.top, b.top) > 0.5);
      }).length;
    })()`);
    expect(barsOverText).toBe(0);
  });

  it('When the stages picture is redrawn, then it is docs/stages.svg: ten boxes, every line inside its box', async (context) => {
    const stages = discoverStages(REPO_ROOT);
    const svg = renderStagesPicture(stages);
    expect(readFileSync(join(docs, 'stages.svg'), 'utf8')).toBe(svg);
    if (!browser) return context.skip(skip);
    const tab = await browser.newPage();
    await tab.setContent(`<body style="margin:0">${svg}</body>`);

    expect(await tab.locator('g.stage').count()).toBe(stages.length);
    const escaping = await tab.evaluate(`(() => [...document.querySelectorAll('g.stage')]
      .flatMap((g) => { const box = g.querySelector('rect').getBoundingClientRect();
        return [...g.querySelectorAll('text')].filter((t) => { const b = t.getBoundingClientRect();
          return b.left < box.left + 2 || b.right > box.right - 2; }).map((t) => t.textContent); }))()`);
    expect(escaping).toEqual([]);
    expect(await tab.evaluate(OVERLAPS)).toEqual([]);
  });
});
