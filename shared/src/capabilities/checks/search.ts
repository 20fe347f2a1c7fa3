import { randomUUID } from 'node:crypto';
import type { Ticket } from '../../domain/tickets.ts';
import type { CapabilityCheck } from '../context.ts';
import { API, expectStatus, expectThat } from '../http.ts';
import { createTicket } from '../tickets.ts';

// ?q= finds tickets by words of their subject, inside the same paginated, counted list.
export const search: CapabilityCheck = {
  name: 'search',
  promise: '?q= lists only the tickets whose subject matches, counted in meta.total',
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
  },
};
