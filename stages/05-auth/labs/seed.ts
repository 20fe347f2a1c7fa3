import { parseArgs } from 'node:util';
import type { Ticket } from '@backend-path/shared/domain/tickets';
import { insertPeople, insertTicketsServerSide, labDataset } from './lib/lab-data.ts';
import { openLabDatabase } from './lib/lab-database.ts';
import { createProgress } from './lib/progress.ts';
import { printTable, round, writeResults } from './lib/report.ts';
import { batches, loadWithCopy, loadWithInserts } from './lib/ticket-loaders.ts';

// pnpm lab:seed [--rows 1000000]
// Loads N generated tickets with COPY FROM STDIN and compares with the server's own speed
// limit (INSERT … SELECT generate_series, no client involved). Leaves the COPY-loaded rows
// in place for lab:explain.
const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '1000000' } } });
const ROWS = Number(args.rows);
if (!Number.isInteger(ROWS) || ROWS <= 0) throw new Error('--rows must be a positive integer');
async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

const db = await openLabDatabase();
try {
  if (db.kind === 'env') console.warn('[lab] DATABASE_URL is set: its tickets are replaced.');
  const dataset = labDataset(ROWS);
  await insertPeople(db.pool, dataset);
  const sample: Ticket[] = batches(dataset.tickets, 1000).next().value ?? [];
  const avg = (f: (t: Ticket) => string) =>
    Math.round(sample.reduce((sum, t) => sum + f(t).length, 0) / Math.max(sample.length, 1));
  const truncate = () => db.pool.query('TRUNCATE tickets CASCADE');

  console.log(`${db.version}: loading ${ROWS.toLocaleString('en-US')} tickets twice.\n`);
  await truncate();
  console.log('Timing the server-side limit (one statement, no progress to report)…');
  const limitSeconds = await timed(() =>
    insertTicketsServerSide(db.pool, {
      rows: ROWS,
      customers: dataset.users.filter((u) => u.role === 'customer'),
      subjectLength: avg((t) => t.subject),
      descriptionLength: avg((t) => t.description),
    }),
  );
  console.log(`server-side INSERT … SELECT generate_series: ${limitSeconds.toFixed(2)} s`);

  await truncate();
  const method = db.isPglite ? 'batched INSERT (PGlite)' : 'COPY FROM STDIN (csv)';
  if (db.isPglite) {
    console.log('PGlite detected: COPY FROM STDIN would wedge it; using 1000-row INSERTs.');
  }
  const progress = createProgress(method, ROWS);
  const load = db.isPglite ? loadWithInserts : loadWithCopy;
  const loadSeconds = await timed(() => load(db.pool, dataset.tickets, progress));
  progress.finish();
  await db.pool.query('ANALYZE tickets');

  const rows = [
    {
      method: 'INSERT … SELECT generate_series (server only)',
      seconds: round(limitSeconds),
      'rows/s': Math.round(ROWS / limitSeconds),
    },
    {
      method: `${method} from the generator`,
      seconds: round(loadSeconds),
      'rows/s': Math.round(ROWS / loadSeconds),
    },
  ];
  console.log();
  printTable(rows);
  const ratio = loadSeconds / limitSeconds;
  console.log(`\n${method} takes ${ratio.toFixed(2)}× the server-side limit (goal: ≤ 2×).`);
  const file = writeResults('seed', {
    database: db.version,
    kind: db.kind,
    rows: ROWS,
    method,
    serverSideSeconds: round(limitSeconds, 3),
    loadSeconds: round(loadSeconds, 3),
    ratio: round(ratio),
  });
  console.log(`Results: ${file}`);
} finally {
  await db.close();
}
