import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/tickets/tickets.cursor.ts';
import { buildApp, createTicket, request } from '../support/helpers.ts';

const RUNS = 60;
const YEAR_0 = Date.parse('0000-01-01T00:00:00.000Z');
const YEAR_9999 = Date.parse('9999-12-31T23:59:59.999Z');

describe('No query string makes GET /api/v1/tickets answer 5xx (property, real app on PostgreSQL)', () => {
  it('When the cursor is any position our cursor format can spell, then 200 or a 400 envelope', async () => {
    const { app } = buildApp();
    await createTicket(app);
    // Every cursor TicketCursorSchema accepts has a four-digit year: all of them, not only recent ones.
    const position = fc.record({
      createdAt: fc
        .integer({ min: YEAR_0, max: YEAR_9999 })
        .map((ms) => new Date(ms).toISOString()),
      id: fc.uuid(),
    });
    await fc.assert(
      fc.asyncProperty(position, async (at) => {
        const res = await request(app)
          .get('/api/v1/tickets')
          .query({ after: encodeCursor(at) });
        expect(res.status, `after ${JSON.stringify(at)}`).toBeOneOf([200, 400]);
      }),
      { numRuns: RUNS },
    );
  });

  it('When page, pageSize, status, q and include are any strings, then 200 or a 4xx envelope', async () => {
    const { app } = buildApp();
    await createTicket(app);
    const params = fc.dictionary(
      fc.constantFrom('page', 'pageSize', 'status', 'q', 'include', 'after', 'sort'),
      fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.integer().map(String)),
    );
    await fc.assert(
      fc.asyncProperty(params, async (query) => {
        const res = await request(app).get('/api/v1/tickets').query(query);
        expect(res.status, JSON.stringify(query)).toBeLessThan(500);
        if (res.status >= 400) expect(res.body.error.code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: RUNS },
    );
  });
});
