import { parseArgs } from 'node:util';
import type { Ticket } from '@backend-path/shared/domain/tickets';
import type { DbClient } from '../src/db/pool.ts';
import { insertPeople, insertTicketsServerSide, labDataset } from './lib/lab-data.ts';
import { openLabDatabase } from './lib/lab-database.ts';
import { createProgress } from './lib/progress.ts';
import { printTable, round, writeResults } from './lib/report.ts';
import { readTableKeys, schemaFingerprint } from './lib/table-keys.ts';
import { batches, loadWithCopy, loadWithInserts } from './lib/ticket-loaders.ts';

// pnpm lab:seed [--rows 1000000] [--load-only] [--force]
// Loads N generated tickets four ways: from the client (COPY FROM STDIN) and by the server
// itself (INSERT … SELECT generate_series: no client, no network, no parsing), each into the
// indexed table and into a bare one whose keys and indexes are added afterwards. The last load
// (COPY, bare, then indexes) is the one whose rows stay, for lab:explain. --load-only does just
// that one. Each load is one transaction: a failure leaves the table as it was, keys included.
const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    'load-only': { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
  },
});
const ROWS = Number(args.rows);
if (!Number.isInteger(ROWS) || ROWS <= 0) throw new Error('--rows must be a positive integer');
async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

interface Way {
  source: 'client' | 'server';
  /** Drop the keys and indexes first, add them back after the rows are in. */
  bare: boolean;
}
interface Timing {
  load: number;
  keys: number;
  total: number;
}

const db = await openLabDatabase({ force: args.force });
try {
  const dataset = labDataset(ROWS);
  await insertPeople(db.pool, dataset);
  const sample: Ticket[] = batches(dataset.tickets, 1000).next().value ?? [];
  const avg = (f: (t: Ticket) => string) =>
    Math.round(sample.reduce((sum, t) => sum + f(t).length, 0) / Math.max(sample.length, 1));
  const client = db.isPglite ? 'batched INSERT' : 'COPY';
  if (db.isPglite) console.log('PGlite: COPY FROM STDIN would wedge it; 1000-row INSERTs instead.');
  const label = (way: Way) =>
    `${way.source === 'client' ? client : 'generate_series'} ${way.bare ? 'into a bare table, then keys' : 'into the indexed table'}`;

  async function fill(session: DbClient, way: Way): Promise<number> {
    if (way.source === 'server') {
      return timed(() =>
        insertTicketsServerSide(session, {
          rows: ROWS,
          customers: dataset.users.filter((u) => u.role === 'customer'),
          subjectLength: avg((t) => t.subject),
          descriptionLength: avg((t) => t.description),
        }),
      );
    }
    const progress = createProgress(label(way), ROWS);
    const load = db.isPglite ? loadWithInserts : loadWithCopy;
    const seconds = await timed(() => load(session, dataset.tickets, progress));
    progress.finish();
    return seconds;
  }

  async function loadOnce(way: Way): Promise<Timing> {
    const session = await db.pool.connect();
    try {
      const started = performance.now();
      await session.query('BEGIN');
      // The index builds sort in memory when they can (the default is 64 MB).
      await session.query(`SET LOCAL maintenance_work_mem = '256MB'`);
      await session.query('TRUNCATE tickets CASCADE');
      const keys = await readTableKeys(session, 'tickets');
      const migrated = await schemaFingerprint(session);
      // LESSON: load first, then index. Into the indexed table, every row also goes into each
      // index (random UUIDs land all over the primary key's B-tree) and through a foreign-key
      // lookup per key; CREATE INDEX afterwards sorts all the rows once and writes each index
      // in order, and ADD FOREIGN KEY checks every row in one join.
      if (way.bare) for (const sql of keys.drop) await session.query(sql);
      const load = await fill(session, way);
      const keysSeconds = await timed(async () => {
        if (way.bare) for (const sql of keys.restore) await session.query(sql);
      });
      const restored = await schemaFingerprint(session);
      if (restored.join('\n') !== migrated.join('\n')) {
        throw new Error('The keys put back differ from the migrated schema: rolled back.');
      }
      await session.query('COMMIT');
      const total = (performance.now() - started) / 1000;
      console.log(`${label(way)}: ${total.toFixed(2)} s`);
      return { load, keys: keysSeconds, total };
    } catch (error: unknown) {
      await session.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      session.release();
    }
  }

  const ways: Way[] = args['load-only']
    ? [{ source: 'client', bare: true }]
    : [
        { source: 'server', bare: false },
        { source: 'client', bare: false },
        { source: 'server', bare: true },
        { source: 'client', bare: true }, // last: its rows stay
      ];
  const count = args['load-only'] ? 'once' : 'four times';
  console.log(`${db.version}: loading ${ROWS.toLocaleString('en-US')} tickets ${count}.\n`);
  const timings = new Map<Way, Timing>();
  for (const way of ways) timings.set(way, await loadOnce(way));
  await db.pool.query('ANALYZE tickets');

  const fastest = Math.min(...[...timings.values()].map((t) => t.total));
  const rows = [...timings].map(([way, t]) => ({
    load: label(way),
    'rows s': round(t.load),
    'keys s': round(t.keys),
    'total s': round(t.total),
    'rows/s': Math.round(ROWS / t.total),
    '× fastest': round(t.total / fastest, 1),
  }));
  console.log();
  printTable(rows);
  const ratio = (source: Way['source']) => {
    const [indexed, bare] = [false, true].map(
      (b) => [...timings].find(([w]) => w.source === source && w.bare === b)?.[1].total,
    );
    return indexed && bare ? round(indexed / bare, 1) : undefined;
  };
  const ratios = { client: ratio('client'), server: ratio('server') };
  if (ratios.client && ratios.server) {
    console.log(
      `\nLoad first, then index: ${client} ${ratios.client}× faster, generate_series ${ratios.server}× faster.`,
    );
  }
  console.log('The rows of the last load stay, with the migrated keys and indexes (checked).');
  const file = writeResults('seed', {
    database: db.version,
    kind: db.kind,
    rows: ROWS,
    loads: rows,
    bareVsIndexed: ratios,
  });
  console.log(`Results: ${file}`);
} finally {
  await db.close();
}
