import { randomUUID } from 'node:crypto';
import { buildTicket } from '@backend-path/shared/testing/factories';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TicketCursor } from '../../src/tickets/tickets.repository.ts';
import type { ContractSubject } from './subject.ts';

const BASE = Date.parse('2026-02-01T12:00:00.000Z');
/** A few distinct instants only, so many tickets share one: the id must break the ties. */
const instant = fc.integer({ min: 0, max: 4 }).map((s) => new Date(BASE - s * 1000).toISOString());

/** Keyset pagination while others write: a property of every implementation. */
export function describeKeysetProperty(
  name: string,
  connect: () => Promise<ContractSubject>,
  runs: number,
) {
  let s: ContractSubject;
  beforeEach(async () => {
    s = await connect();
  });

  describe(`${name}: keyset pagination under inserts (property)`, () => {
    it('When tickets are inserted between pages, then the walk never repeats one, keeps the order, and misses none that existed at the start', async () => {
      const scenario = fc.record({
        initial: fc.array(instant, { maxLength: 8 }),
        pageSize: fc.integer({ min: 1, max: 4 }),
        // what is inserted before each next page (the walk uses as many as it has pages)
        between: fc.array(fc.array(instant, { maxLength: 3 }), { maxLength: 6 }),
      });
      await fc.assert(
        fc.asyncProperty(scenario, async ({ initial, pageSize, between }) => {
          // Each run filters on its own subject word: no cleanup needed between runs.
          const word = `run${randomUUID().slice(0, 8)}`;
          const seed = async (at: string) => {
            const ticket = buildTicket({ subject: `${word} ticket`, createdAt: at, updatedAt: at });
            await s.seedTicket(ticket);
            return ticket.id;
          };
          const existing: string[] = [];
          for (const at of initial) existing.push(await seed(at));

          const seen: { id: string; createdAt: string }[] = [];
          let after: TicketCursor | undefined;
          // A walk longer than one ticket per page, plus one, repeats: fail rather than loop.
          const maxPages = initial.length + between.flat().length + 2;
          for (let page = 0; page < maxPages; page++) {
            const { items } = await s.tickets.list({ page: 1, pageSize, q: word, after });
            seen.push(...items);
            const last = items[items.length - 1];
            if (!last || items.length < pageSize) break;
            after = { createdAt: last.createdAt, id: last.id };
            for (const at of between[page] ?? []) await seed(at);
          }

          const ids = seen.map((t) => t.id);
          expect(new Set(ids).size, 'no ticket twice').toBe(ids.length);
          expect(ids, 'every ticket that existed before the walk').toEqual(
            expect.arrayContaining(existing),
          );
          for (let i = 1; i < seen.length; i++) {
            const [a, b] = [seen[i - 1], seen[i]] as [TicketCursor, TicketCursor];
            expect(
              a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id),
              'newest first',
            ).toBe(true);
          }
        }),
        { numRuns: runs },
      );
    });
  });
}
