import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { countQueries } from '@backend-path/shared/testing/query-counter';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DATA_LAYERS, type DataLayer, loadConfig } from '../../src/config.ts';
import { openDataLayer } from '../../src/db/data-layer.ts';
import { buildNewTicket, testDatabaseUrl, ticketOf, useTestPool } from '../support/db-helpers.ts';

const pool = useTestPool();
// How each implementation spells "SELECT … FROM tickets": proof of who answered.
const FROM_TICKETS: Record<DataLayer, RegExp> = {
  pg: /FROM tickets WHERE id = \$1/,
  prisma: /FROM "public"\."tickets" WHERE/,
  typeorm: /FROM "tickets" "TicketEntity"/,
};

describe('DATA_LAYER', () => {
  it('When it is not set, then the raw pg repositories are used', () => {
    expect(loadConfig({}).dataLayer).toBe('pg');
  });

  it('When it names an unknown data layer, then startup fails with the allowed values', () => {
    expect(() => loadConfig({ DATA_LAYER: 'sequelize' })).toThrow(
      'DATA_LAYER must be one of pg, prisma, typeorm, got "sequelize"',
    );
  });

  it.each(DATA_LAYERS)('When it is %s, then that layer stores and reads tickets', async (name) => {
    const layer = await openDataLayer(
      loadConfig({ DATA_LAYER: name }).dataLayer,
      testDatabaseUrl(),
    );
    try {
      const created = ticketOf(await layer.tickets.create(buildNewTicket(), 10));
      await layer.comments.create({
        ticketId: created.id,
        authorId: FIXTURE_USERS.bob.id,
        body: 'Hi',
      });

      const counter = countQueries(pg.Client);
      const found = await layer.tickets.findById(created.id).finally(() => counter.stop());

      expect(found).toEqual(created);
      expect(counter.statements.join('\n')).toMatch(FROM_TICKETS[name]);
      const { rows } = await pool.query(
        'SELECT count(*)::int AS n FROM comments WHERE ticket_id = $1',
        [created.id],
      );
      expect(rows[0].n).toBe(1);
    } finally {
      await layer.close();
    }
  });
});
