import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultRoot } from './cli.ts';
import { discoverStages, type Stage } from './stages.ts';

// docs/stages.svg, the picture the root README opens with: the ten stages in order, each with
// what it adds, colored by where its tickets live (the same colors as docs/bench.svg).
// scripts/test/bench.test.ts checks the committed file is what this renders; to redraw it:
//   pnpm exec tsx scripts/lib/stages-picture.ts

/** What each stage adds, in two short lines (the stage README says it in full). */
export const ADDS: Record<number, [string, string]> = {
  1: ['node:http only: routing,', 'bodies, ETag, CORS'],
  2: ['Express 5, layers,', 'envelope, pagination'],
  3: ['PostgreSQL (raw pg),', 'indexes, transactions'],
  4: ['Prisma and TypeORM', 'beside the raw SQL'],
  5: ['bcrypt + JWT login,', 'roles, account scoping'],
  6: ['zod at the edge,', '400 vs 422, error codes'],
  7: ['Redis cache-aside,', 'rate limits, outages'],
  8: ['unit, contract and', 'integration tests'],
  9: ['config checked at boot,', 'image, compose, CI/CD'],
  10: ['logs, health, metrics,', 'shutdown, idempotency'],
};

const BOX = { width: 184, height: 92, gap: 22 };
const PER_ROW = 5;
const TOP = 56;
const ROW_GAP = 44;
const COLORS = { memory: '#4c78a8', postgres: '#e8853d', redis: '#3f9b4f' } as const;
const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function colorOf(stage: Stage): string {
  if (stage.needs.includes('redis')) return COLORS.redis;
  return stage.needs.includes('postgres') ? COLORS.postgres : COLORS.memory;
}

export function renderStagesPicture(stages: Stage[]): string {
  const left = 16;
  const width = left * 2 + PER_ROW * BOX.width + (PER_ROW - 1) * BOX.gap;
  const rowsCount = Math.ceil(stages.length / PER_ROW);
  const height = TOP + rowsCount * BOX.height + (rowsCount - 1) * ROW_GAP + 44;
  const at = (i: number) => ({
    x: left + (i % PER_ROW) * (BOX.width + BOX.gap),
    y: TOP + Math.floor(i / PER_ROW) * (BOX.height + ROW_GAP),
  });
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" role="img" aria-labelledby="stages-title">`,
    '<title id="stages-title">The ten stages of Backend Path and what each one adds</title>',
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#888"/></marker></defs>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="32" font-size="18" font-weight="700" fill="#222">From node:http to production: each stage is the previous one plus one lesson</text>`,
  ];
  stages.forEach((stage, i) => {
    const adds = ADDS[stage.number];
    if (!adds) throw new Error(`stages-picture.ts: no ADDS entry for stage ${stage.number}`);
    const { x, y } = at(i);
    const color = colorOf(stage);
    out.push(
      `<g class="stage" data-stage="${stage.number}">`,
      `<rect x="${x}" y="${y}" width="${BOX.width}" height="${BOX.height}" rx="8" fill="#fff" stroke="${color}" stroke-width="2"/>`,
      `<rect x="${x}" y="${y}" width="${BOX.width}" height="28" rx="8" fill="${color}"/>`,
      `<rect x="${x}" y="${y + 20}" width="${BOX.width}" height="8" fill="${color}"/>`,
      `<text x="${x + 10}" y="${y + 19}" font-size="14" font-weight="700" fill="#fff">${escapeXml(stage.folder)}</text>`,
      ...adds.map(
        (line, k) =>
          `<text x="${x + 10}" y="${y + 50 + k * 18}" font-size="13" fill="#222">${escapeXml(line)}</text>`,
      ),
      '</g>',
    );
    const next = stages[i + 1] ? at(i + 1) : undefined;
    if (!next) return;
    const mid = y + BOX.height / 2;
    if (next.y === y) {
      out.push(
        `<line x1="${x + BOX.width}" y1="${mid}" x2="${next.x - 2}" y2="${mid}" stroke="#888" stroke-width="2" marker-end="url(#arrow)"/>`,
      );
    } else {
      // End of a row: down, back to the left, down into the next row's first box.
      const turn = y + BOX.height + ROW_GAP / 2;
      const cx = x + BOX.width / 2;
      const nx = next.x + BOX.width / 2;
      out.push(
        `<path d="M${cx},${y + BOX.height} V${turn} H${nx} V${next.y - 2}" fill="none" stroke="#888" stroke-width="2" marker-end="url(#arrow)"/>`,
      );
    }
  });
  const legendY = height - 16;
  const legend: [string, string][] = [
    [COLORS.memory, 'tickets in memory'],
    [COLORS.postgres, 'PostgreSQL'],
    [COLORS.redis, 'PostgreSQL + Redis'],
  ];
  legend.forEach(([color, label], i) => {
    const x = left + i * 190;
    out.push(
      `<rect x="${x}" y="${legendY - 11}" width="12" height="12" fill="${color}"/>`,
      `<text x="${x + 18}" y="${legendY}" font-size="12" fill="#444">${label}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

export const STAGES_PICTURE = join('docs', 'stages.svg');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = defaultRoot();
  writeFileSync(join(root, STAGES_PICTURE), renderStagesPicture(discoverStages(root)));
  console.log(`Wrote ${STAGES_PICTURE}`);
}
