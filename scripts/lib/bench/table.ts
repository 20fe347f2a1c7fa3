import {
  type BenchResults,
  describeMachine,
  formatRatio,
  LIST_GOAL,
  listGoals,
  memoryListRatios,
  ROUTES,
  rows,
  stageLabel,
} from './results.ts';

const HEADERS = ['stage', 'req/s', 'p50 ms', 'p99 ms', '× prev', '× 01', 'failed'];

/** The first column left-aligned, every other one right-aligned (n/a and – included). */
function formatTable(headers: string[], body: string[][]): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...body.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** The table `pnpm bench` prints: one block per route, a row per stage, the machine below. */
export function renderTable(results: BenchResults): string {
  const all = rows(results);
  const blocks = ROUTES.map((route) => {
    const body = all
      .filter((row) => row.route === route.id)
      .map((row) =>
        row.summary === null
          ? [stageLabel(row.stage), 'n/a']
          : [
              stageLabel(row.stage),
              String(row.summary.requestsPerSecond),
              // No 2xx answer within the cell: its latencies are those of failures, or of nothing.
              row.summary.requestsPerSecond > 0 ? String(row.summary.p50Ms) : '–',
              row.summary.requestsPerSecond > 0 ? String(row.summary.p99Ms) : '–',
              formatRatio(row.vsPrevious),
              formatRatio(row.vsFirst),
              row.summary.failed > 0 ? String(row.summary.failed) : '',
            ],
      );
    return `${route.label}: ${route.request}\n${formatTable(HEADERS, body)}`;
  });
  const goals = listGoals(results);
  const goalBlock =
    goals.length === 0
      ? []
      : [
          [
            `list page ÷ one ticket, same stage (goal ≥ ${LIST_GOAL}×, none failed: every list read through an index)`,
            ...goals.map(
              (goal) =>
                // Two decimals, not formatRatio's three digits: 0.498 must not read as "0.5".
                `${stageLabel(goal.stage).padEnd(14)} ${goal.ratio.toFixed(2).padStart(5)}×` +
                `${goal.failed > 0 ? `  ${goal.failed} failed` : ''}  ${goal.met ? 'met' : 'NOT MET'}`,
            ),
            ...memoryListRatios(results).map(
              (ratio) =>
                `${stageLabel(ratio.stage).padEnd(14)} ${ratio.ratio.toFixed(2).padStart(5)}×  ` +
                'no goal: what 20 tickets of JSON cost against one, with no database',
            ),
          ].join('\n'),
        ];
  return [
    ...blocks,
    ...goalBlock,
    [
      'n/a: the stage has no such route. × prev / × 01: req/s divided by the previous stage’s /',
      'stage 01’s on the same route (> 1 is faster). req/s counts 2xx answers only; failed: non-2xx,',
      'errors and timeouts. 01 and 02 serve tickets from memory; 03 on read and write PostgreSQL,',
      '07 on cache in Redis. Numbers are noisy; compare ratios.',
    ].join('\n'),
    describeMachine(results),
  ].join('\n\n');
}
