// What `pnpm bench` records (bench-results/*.json) and everything computed from it: the
// summary of a cell's rounds, the ratios, the table. Pure functions: the tests feed them
// recorded results, no server needed.

/** The routes every stage is driven through, in the table's and the chart's order. */
export const ROUTES = [
  {
    id: 'ticket',
    label: 'one ticket',
    request: 'GET /api/v1/tickets/:id',
    short: 'GET /tickets/:id',
  },
  { id: 'list', label: 'list page', request: 'GET /api/v1/tickets', short: 'GET /tickets' },
  {
    id: 'comments',
    label: 'list + comments',
    request: 'GET /api/v1/tickets?include=comments',
    short: 'GET ?include=comments',
  },
  // The open-ticket limit (10 per user, from stage 02) would refuse the 11th create of a
  // caller, so every create is followed by a DELETE of what it made: a pair of writes.
  {
    id: 'write',
    label: 'create + delete',
    request: 'POST /api/v1/tickets, then DELETE it',
    short: 'POST, then DELETE',
  },
  { id: 'login', label: 'login', request: 'POST /api/v1/auth/login', short: 'POST /auth/login' },
] as const;
export type RouteId = (typeof ROUTES)[number]['id'];

/** One autocannon run of one cell. */
export interface Run {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** errors + timeouts + non-2xx answers */
  failed: number;
  /** What failed, when something did: 4xx and 5xx answers, connection errors, timeouts. */
  failures?: { '4xx': number; '5xx': number; errors: number; timeouts: number };
}

export interface StageInfo {
  number: number;
  folder: string;
  /** Where its tickets live: 01 and 02 keep them in the process, 03 on in PostgreSQL. */
  storage: 'memory' | 'postgres';
  /** Lists and tickets served from Redis when cached (07 on). */
  redis: boolean;
}

/** A stage × route; a route the stage does not have is simply absent (n/a). */
export interface Cell {
  stage: number;
  route: RouteId;
  runs: Run[];
}

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  os: string;
  /** 1-minute load average when the run started and when it ended: others' work is noise here. */
  loadAverage: { start: number; end: number };
  postgres?: string;
}

export interface BenchResults {
  version: 1;
  measuredAt: string;
  quick: boolean;
  machine: Machine;
  setup: {
    connections: number;
    durationS: number;
    warmUpS: number;
    rounds: number;
    rows: number;
    bcryptCost: number;
  };
  stages: StageInfo[];
  cells: Cell[];
}

export interface Summary {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  failed: number;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
const round1 = (value: number) => Math.round(value * 10) / 10;

/** The rounds of one cell: mean req/s and latencies (rounds are interleaved, so noise spreads). */
export function summarise(runs: readonly Run[]): Summary {
  const rate = mean(runs.map((run) => run.requestsPerSecond));
  return {
    // Whole numbers, except below 10 req/s (a list sorting a million rows), where 0.4 is not 0.
    requestsPerSecond: rate >= 10 ? Math.round(rate) : round1(rate),
    p50Ms: round1(mean(runs.map((run) => run.p50Ms))),
    p99Ms: round1(mean(runs.map((run) => run.p99Ms))),
    requests: runs.reduce((sum, run) => sum + run.requests, 0),
    failed: runs.reduce((sum, run) => sum + run.failed, 0),
  };
}

export function findCell(results: BenchResults, stage: number, route: RouteId): Cell | undefined {
  return results.cells.find((cell) => cell.stage === stage && cell.route === route);
}

export interface Row {
  stage: StageInfo;
  route: RouteId;
  summary: Summary | null;
  /** req/s ÷ the previous stage's req/s on the same route (null: either has no such cell). */
  vsPrevious: number | null;
  /** req/s ÷ stage 01's (the first stage of the run) on the same route. */
  vsFirst: number | null;
}

/** Every stage × route, route by route, stages in order: what the table and the chart show. */
export function rows(results: BenchResults): Row[] {
  const stages = [...results.stages].sort((a, b) => a.number - b.number);
  const rate = (stage: StageInfo | undefined, route: RouteId) => {
    const cell = stage && findCell(results, stage.number, route);
    return cell && cell.runs.length > 0 ? summarise(cell.runs).requestsPerSecond : null;
  };
  const ratio = (a: number | null, b: number | null) =>
    a !== null && b !== null && b > 0 ? a / b : null;
  return ROUTES.flatMap(({ id }) =>
    stages.map((stage, i) => {
      const cell = findCell(results, stage.number, id);
      const mine = rate(stage, id);
      return {
        stage,
        route: id,
        summary: cell && cell.runs.length > 0 ? summarise(cell.runs) : null,
        vsPrevious: i === 0 ? null : ratio(mine, rate(stages[i - 1], id)),
        vsFirst: i === 0 ? null : ratio(mine, rate(stages[0], id)),
      };
    }),
  );
}

/** 0.0123 → "0.012", 1.234 → "1.23", 12.34 → "12.3": three significant digits at most. */
export function formatRatio(value: number | null): string {
  if (value === null) return '–';
  if (value >= 100) return String(Math.round(value));
  return String(Number(value.toPrecision(value >= 1 ? 3 : 2)));
}

export function stageLabel(stage: StageInfo): string {
  const where = stage.storage === 'memory' ? ' (memory)' : '';
  return `${stage.folder}${where}`;
}

/**
 * The cells where requests failed (non-2xx, errors, timeouts) or none was answered: in a quick
 * run, a stage that stopped serving a route; in a full run, a route that gives up under the load
 * (a list sorting a million rows per request hits its statement timeout).
 */
export function failures(results: BenchResults): string[] {
  return results.cells
    .filter((cell) => cell.runs.some((run) => run.failed > 0 || run.requests === 0))
    .map((cell) => {
      const stage = results.stages.find((s) => s.number === cell.stage);
      const route = ROUTES.find((r) => r.id === cell.route);
      const { failed, requests } = summarise(cell.runs);
      const kinds = new Map<string, number>();
      for (const run of cell.runs) {
        for (const [kind, n] of Object.entries(run.failures ?? {})) {
          kinds.set(kind, (kinds.get(kind) ?? 0) + n);
        }
      }
      const breakdown = [...kinds].filter(([, n]) => n > 0).map(([kind, n]) => `${n} ${kind}`);
      const what =
        failed > 0
          ? `${failed} of ${requests} requests failed` +
            (breakdown.length > 0 ? ` (${breakdown.join(', ')})` : '')
          : 'no request was answered';
      return `${stage?.folder ?? cell.stage} ${route?.request ?? cell.route}: ${what}`;
    });
}

/** A list page may cost at most twice one ticket: every list is read through an index. */
export const LIST_GOAL = 0.5;

export interface ListGoal {
  stage: StageInfo;
  /** The list's req/s ÷ the same stage's single-ticket req/s, in this run. */
  ratio: number;
  /** Requests of the list route that failed (a 503 is a statement timeout). */
  failed: number;
  met: boolean;
}

/**
 * Each database stage's list route against its own single-ticket route, in the same run (issue
 * 26): at least LIST_GOAL as many requests a second, and none failed. Stages in memory have no
 * index to prove; a stage that lacks either cell is left out.
 */
export function listGoals(results: BenchResults): ListGoal[] {
  return listRatios(results, 'postgres');
}

/**
 * The same ratio for the stages that serve tickets from memory: no database, no goal, but the
 * floor under the goal. What a page of 20 tickets costs against one, in HTTP and JSON alone.
 */
export function memoryListRatios(results: BenchResults): ListGoal[] {
  return listRatios(results, 'memory');
}

function listRatios(results: BenchResults, storage: StageInfo['storage']): ListGoal[] {
  return [...results.stages]
    .filter((stage) => stage.storage === storage)
    .sort((a, b) => a.number - b.number)
    .flatMap((stage) => {
      const ticket = findCell(results, stage.number, 'ticket');
      const list = findCell(results, stage.number, 'list');
      if (!ticket?.runs.length || !list?.runs.length) return [];
      const one = summarise(ticket.runs).requestsPerSecond;
      const page = summarise(list.runs);
      const ratio = one > 0 ? page.requestsPerSecond / one : 0;
      return [{ stage, ratio, failed: page.failed, met: ratio >= LIST_GOAL && page.failed === 0 }];
    });
}

export function describeMachine(results: BenchResults): string {
  const { machine, setup } = results;
  const load = `${machine.loadAverage.start.toFixed(2)} → ${machine.loadAverage.end.toFixed(2)}`;
  return [
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.os}, Node ${machine.node}` +
      (machine.postgres ? `, ${machine.postgres}` : ''),
    `Load average (1 min) ${load}; measured ${results.measuredAt.slice(0, 16).replace('T', ' ')} UTC.`,
    `${setup.connections} connections, ` +
      (setup.durationS > 0
        ? `${setup.durationS} s per cell`
        : 'a fixed number of requests per cell') +
      ` × ${setup.rounds} interleaved round${setup.rounds === 1 ? '' : 's'}` +
      (setup.warmUpS > 0 ? ` after a ${setup.warmUpS} s warm-up` : '') +
      `; ${setup.rows.toLocaleString('en-US')} tickets in each database; bcrypt cost ${setup.bcryptCost}.`,
  ].join('\n');
}
