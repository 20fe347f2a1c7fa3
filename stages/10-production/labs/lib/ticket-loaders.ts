import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Ticket } from '@backend-path/shared/domain/tickets';
import { from as copyFrom } from 'pg-copy-streams';
import type { DbClient } from '../../src/db/pool.ts';
import type { Progress } from './progress.ts';

// Two ways to stream generated tickets into the database (labs/seed.ts times them).
const COLUMNS =
  'id, account_id, created_by, assignee_id, subject, description, priority, status, created_at, updated_at, resolved_at';

// CSV: every text value quoted with " doubled inside, so commas, quotes and newlines in a
// subject are data. An unquoted empty field is NULL.
const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;
function csvLine(t: Ticket): string {
  const fields = [t.id, t.accountId, t.createdBy, t.assigneeId ?? '', quote(t.subject)];
  fields.push(quote(t.description), t.priority, t.status, t.createdAt, t.updatedAt);
  fields.push(t.resolvedAt ?? '');
  return `${fields.join(',')}\n`;
}

export function* batches(tickets: Iterable<Ticket>, size: number): Generator<Ticket[]> {
  let batch: Ticket[] = [];
  for (const ticket of tickets) {
    batch.push(ticket);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

// LESSON: COPY streams rows in one statement: no per-row round trip, no per-row parse/plan.
// Both take one client: labs/seed.ts loads inside a transaction.
export async function loadWithCopy(
  client: DbClient,
  tickets: Iterable<Ticket>,
  progress: Progress,
) {
  let done = 0;
  const chunks = Readable.from(
    (function* () {
      for (const batch of batches(tickets, 2000)) {
        yield batch.map(csvLine).join('');
        done += batch.length;
        progress.tick(done);
      }
    })(),
  );
  await pipeline(
    chunks,
    client.query(copyFrom(`COPY tickets (${COLUMNS}) FROM STDIN (FORMAT csv)`)),
  );
}

// PGlite loses protocol sync on COPY FROM STDIN (and hangs): multi-row INSERTs instead, 1000
// rows × 11 parameters per statement (the protocol allows 65,535 parameters).
export async function loadWithInserts(
  client: DbClient,
  tickets: Iterable<Ticket>,
  progress: Progress,
) {
  let done = 0;
  for (const batch of batches(tickets, 1000)) {
    const values: unknown[] = [];
    const rows = batch.map((t) => {
      const row = [t.id, t.accountId, t.createdBy, t.assigneeId, t.subject, t.description];
      values.push(...row, t.priority, t.status, t.createdAt, t.updatedAt, t.resolvedAt);
      const base = values.length - 11;
      return `(${Array.from({ length: 11 }, (_, i) => `$${base + i + 1}`).join(', ')})`;
    });
    await client.query(`INSERT INTO tickets (${COLUMNS}) VALUES ${rows.join(', ')}`, values);
    done += batch.length;
    progress.tick(done);
  }
}
