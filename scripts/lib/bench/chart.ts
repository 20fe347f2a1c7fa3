import { type BenchResults, formatRatio, ROUTES, rows, type StageInfo } from './results.ts';

// The bench as one self-contained SVG (no script, no font or file to fetch), for the root README:
// a row per stage, a column per route, in each cell the req/s, the ratio to the previous stage
// and a bar. Bars share one log scale: from stage 01 to a list counting a million rows the rates
// differ a thousandfold, and a linear bar of the slow ones would be invisible.

const LABEL_WIDTH = 200;
const COLUMN = 160;
const BAR_MAX = 150;
const TOP = 118;
const ROW = 36;
const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
const COLORS = { memory: '#4c78a8', postgres: '#e8853d', redis: '#3f9b4f' } as const;

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** 12345 → "12.3k", 987 → "987", 12.34 → "12.3", 0.5 → "0.5". */
export function compactRate(value: number): string {
  if (value >= 10_000) return `${Math.round(value / 1000)}k`;
  if (value >= 1000) return `${(value / 1000).toFixed(1)}k`;
  if (value >= 100) return String(Math.round(value));
  return String(Number(value.toPrecision(2)));
}

function colorOf(stage: StageInfo): string {
  if (stage.storage === 'memory') return COLORS.memory;
  return stage.redis ? COLORS.redis : COLORS.postgres;
}

function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${x}" y="${y}" ${attributes}>${escapeXml(content)}</text>`;
}

export function renderChart(results: BenchResults): string {
  const all = rows(results);
  const stages = [...results.stages].sort((a, b) => a.number - b.number);
  const width = LABEL_WIDTH + COLUMN * ROUTES.length + 20;
  const height = TOP + ROW * stages.length + 70;
  const fastest = Math.max(2, ...all.map((row) => row.summary?.requestsPerSecond ?? 0));
  // log10(req/s) over log10(the fastest cell): 1 req/s is an empty bar, the fastest a full one.
  const barWidth = (rate: number) =>
    Math.max(2, Math.round((BAR_MAX * Math.log10(Math.max(rate, 1))) / Math.log10(fastest)));
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" role="img" aria-labelledby="bench-title">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<title id="bench-title">pnpm bench: requests per second of the ten stages on five routes</title>`,
    text(
      16,
      30,
      'pnpm bench: requests per second, stage × route',
      'font-size="18" font-weight="700" fill="#222"',
    ),
    text(
      16,
      52,
      'Each cell: req/s (2xx answers) and × the previous stage on the same route (> 1: faster). Bars: req/s on one log scale.',
      'font-size="12" fill="#444"',
    ),
  );
  const legend: [string, string][] = [
    [COLORS.memory, 'tickets in memory'],
    [COLORS.postgres, 'PostgreSQL'],
    [COLORS.redis, 'PostgreSQL + Redis cache'],
  ];
  legend.forEach(([color, label], i) => {
    const x = 16 + i * 190;
    out.push(
      `<rect class="legend" x="${x}" y="63" width="12" height="12" fill="${color}"/>`,
      text(x + 18, 73, label, 'font-size="12" fill="#444"'),
    );
  });
  ROUTES.forEach((route, i) => {
    const x = LABEL_WIDTH + i * COLUMN;
    out.push(
      text(x, 98, route.label, 'class="route" font-size="13" font-weight="700" fill="#222"'),
      text(x, 111, route.short, 'class="route" font-size="10" fill="#666"'),
    );
  });
  stages.forEach((stage, i) => {
    const y = TOP + i * ROW;
    if (i % 2 === 0) {
      out.push(`<rect x="8" y="${y}" width="${width - 16}" height="${ROW}" fill="#f5f5f5"/>`);
    }
    const where =
      stage.storage === 'memory' ? 'in memory' : stage.redis ? 'PostgreSQL + Redis' : 'PostgreSQL';
    out.push(
      text(16, y + 16, stage.folder, 'class="stage" font-size="13" font-weight="700" fill="#222"'),
      text(16, y + 29, where, 'class="stage" font-size="10" fill="#666"'),
    );
    ROUTES.forEach((route, j) => {
      const x = LABEL_WIDTH + j * COLUMN;
      const row = all.find((r) => r.stage.number === stage.number && r.route === route.id);
      const cell = `data-stage="${stage.number}" data-route="${route.id}"`;
      if (!row?.summary) {
        out.push(text(x, y + 16, 'n/a', `class="value na" ${cell} font-size="11" fill="#999"`));
        return;
      }
      const rate = row.summary.requestsPerSecond;
      const ratio = row.vsPrevious === null ? '' : `  ×${formatRatio(row.vsPrevious)}`;
      // Requests that failed under the load (a statement timeout: 503) are said in red.
      const failed = row.summary.failed
        ? `<tspan fill="#c62828"> · ${row.summary.failed} failed</tspan>`
        : '';
      out.push(
        `<text x="${x}" y="${y + 14}" class="value" ${cell} font-size="11" fill="#222">${escapeXml(`${compactRate(rate)}/s${ratio}`)}${failed}</text>`,
        `<rect class="bar" ${cell} x="${x}" y="${y + 20}" width="${barWidth(rate)}" height="9" fill="${colorOf(stage)}"><title>${escapeXml(`${stage.folder}, ${route.label}: ${rate} req/s, p50 ${row.summary.p50Ms} ms, p99 ${row.summary.p99Ms} ms`)}</title></rect>`,
      );
    });
  });
  const { machine, setup } = results;
  const foot = TOP + ROW * stages.length + 22;
  out.push(
    text(
      16,
      foot,
      `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; load ${machine.loadAverage.start.toFixed(1)}→${machine.loadAverage.end.toFixed(1)}; ${results.measuredAt.slice(0, 10)}.`,
      'class="foot" font-size="11" fill="#444"',
    ),
    text(
      16,
      foot + 17,
      `${setup.connections} connections, ${setup.durationS > 0 ? `${setup.durationS} s` : 'a fixed number of requests'} × ${setup.rounds} interleaved round${setup.rounds === 1 ? '' : 's'} per cell; ${setup.rows.toLocaleString('en-US')} tickets per database; a shared machine: noisy, compare ratios.`,
      'class="foot" font-size="11" fill="#444"',
    ),
    '</svg>',
  );
  return `${out.join('\n')}\n`;
}
