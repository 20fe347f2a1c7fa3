import { randomUUID } from 'node:crypto';
import type { CreateTicketInput, Ticket } from '../domain/tickets.ts';
import type { Caller, CapabilityContext } from './context.ts';
import { API, expectStatus, expectThat } from './http.ts';

/** A subject no other check (or earlier run) used: lists and searches can find it. */
export function uniqueSubject(label: string): string {
  return `${label} ${randomUUID().slice(0, 8)}`;
}

/** POST /tickets as `as`: the created ticket, or the check fails. */
export async function createTicket(
  ctx: CapabilityContext,
  as: Caller,
  fields: Partial<CreateTicketInput> = {},
): Promise<Ticket> {
  const created = await ctx.send('POST', `${API}/tickets`, {
    as,
    json: { subject: uniqueSubject('Capability check'), priority: 'high', ...fields },
  });
  expectStatus(created, 201, 'a ticket created');
  expectThat(typeof created.body?.data?.id === 'string', created, 'expected data.id');
  return created.body.data as Ticket;
}

/**
 * How many tickets `as` can list (with `query`): the page's `meta.total` where lists are
 * paginated, else the length of the whole list.
 */
export async function countTickets(
  ctx: CapabilityContext,
  as: Caller,
  query = '',
): Promise<number> {
  const list = await ctx.send('GET', `${API}/tickets${query}`, { as });
  expectStatus(list, 200, 'the ticket list');
  const total = ctx.declares('pagination') ? list.body?.meta?.total : list.body?.data?.length;
  expectThat(typeof total === 'number', list, 'expected a count of tickets');
  return total;
}
