import type { TicketStatus } from '@backend-path/shared/domain/tickets';
import { describe, expect, it } from 'vitest';
import { createPgTicketRepository } from '../../src/tickets/tickets.repository.pg.ts';
import { buildNewTicket, ticketOf, useTestPool } from '../support/db-helpers.ts';

const pool = useTestPool();
const repo = createPgTicketRepository(pool);
const DROP = "'; DROP TABLE tickets; --";

async function subjectsMatching(q: string): Promise<string[]> {
  const page = await repo.list({ page: 1, pageSize: 50, q });
  return page.items.map((t) => t.subject).sort();
}

async function createSubjects(...subjects: string[]): Promise<void> {
  for (const subject of subjects) await repo.create(buildNewTicket({ subject }), 100);
}

describe('list with q', () => {
  it('When q is a DROP TABLE payload, then the table survives and the text is matched literally', async () => {
    await createSubjects('Printer jammed', `Customer typed ${DROP} in the form`);

    const matched = await subjectsMatching(DROP);

    expect(matched).toEqual([`Customer typed ${DROP} in the form`]);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM tickets');
    expect(rows[0].n).toBe(2);
  });

  it('When q is %, then only subjects with a literal percent sign match', async () => {
    await createSubjects('Discount shows 100% off', 'Nothing special here');

    expect(await subjectsMatching('%')).toEqual(['Discount shows 100% off']);
  });

  it('When q is _, then only subjects with a literal underscore match', async () => {
    await createSubjects('Field user_id is empty', 'User id is empty');

    expect(await subjectsMatching('_')).toEqual(['Field user_id is empty']);
  });

  it('When q has a backslash, then it matches a backslash and nothing else', async () => {
    await createSubjects('Path C:\\temp\\x fails', 'Path C:tempx fails');

    expect(await subjectsMatching('C:\\temp')).toEqual(['Path C:\\temp\\x fails']);
    expect(await subjectsMatching('\\')).toEqual(['Path C:\\temp\\x fails']);
  });

  it('When q has single and double quotes, then they are matched literally', async () => {
    await createSubjects(`O'Brien says "hello"`, 'OBrien says hello');

    expect(await subjectsMatching(`O'Brien says "`)).toEqual([`O'Brien says "hello"`]);
  });
});

describe('create and filters with hostile values', () => {
  it('When a subject is SQL, then it is stored verbatim and the table is intact', async () => {
    const created = ticketOf(await repo.create(buildNewTicket({ subject: `x${DROP}` }), 10));

    const { rows } = await pool.query('SELECT subject FROM tickets WHERE id = $1', [created.id]);
    expect(rows).toEqual([{ subject: `x${DROP}` }]);
  });

  it("When a status smuggles OR '1'='1', then it matches no ticket instead of every ticket", async () => {
    await createSubjects('One', 'Two');

    const page = await repo.list({
      page: 1,
      pageSize: 50,
      status: "open' OR '1'='1" as TicketStatus,
    });

    expect(page).toEqual({ items: [], total: 0, totalExact: true, hasMore: false });
  });
});
