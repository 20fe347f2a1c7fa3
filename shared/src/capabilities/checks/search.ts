import { randomUUID } from 'node:crypto';
import type { Ticket } from '../../domain/tickets.ts';
import type { CapabilityCheck } from '../context.ts';
import { API, expectError, expectStatus, expectThat } from '../http.ts';
import { createTicket } from '../tickets.ts';

// ?q= finds tickets by words of their subject, inside the same paginated, counted list. An index
// looks a pattern up by pieces of 3 characters: a q without 3 letters or digits in a row would
// read every subject, so it is refused like any other bad input.
export const search: CapabilityCheck = {
  name: 'search',
  promise:
    '?q= lists only the tickets whose subject matches, counted in meta.total, and needs 3 letters or digits in a row (400 naming q)',
  async run(ctx) {
    const caller = await ctx.newCaller();
    const word = `needle${randomUUID().slice(0, 8)}`;
    const match = await createTicket(ctx, caller, { subject: `Printer ${word} jammed` });
    await createTicket(ctx, caller, { subject: 'Printer out of paper' });

    const found = await ctx.send('GET', `${API}/tickets?q=${word}`, { as: caller });

    expectStatus(found, 200);
    const ids = (found.body?.data as Ticket[] | undefined)?.map((ticket) => ticket.id) ?? [];
    expectThat(
      ids.length === 1 && ids[0] === match.id && found.body.meta.total === 1,
      found,
      `expected only ${match.id}, with meta.total 1`,
    );

    const short = await ctx.send('GET', `${API}/tickets?q=ab`, { as: caller });
    expectError(short, 400, 'INVALID_QUERY');
    expectThat(typeof short.body.error.fields?.q === 'string', short, 'expected error.fields.q');
  },
};
