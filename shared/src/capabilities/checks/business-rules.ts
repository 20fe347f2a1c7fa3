import type { Ticket } from '../../domain/tickets.ts';
import type { Caller, CapabilityCheck, CapabilityContext } from '../context.ts';
import { type Answer, API, expectError, expectStatus, expectThat } from '../http.ts';
import { createTicket, uniqueSubject } from '../tickets.ts';

/** How many open tickets one user may have (stage 02's rule, kept by every later stage). */
const MAX_OPEN = 10;

async function openTicketsOf(ctx: CapabilityContext, caller: Caller): Promise<Ticket[]> {
  const list = await ctx.send('GET', `${API}/tickets?status=open&pageSize=100`, { as: caller });
  expectStatus(list, 200, 'the open tickets');
  return (list.body.data as Ticket[]).filter((ticket) => ticket.createdBy === caller.id);
}

// 409: the resource's state does not allow it now (resolved already). 422 with another code: a
// rule of the business refuses a valid body, and the same body may pass once the state changes.
export const businessRules: CapabilityCheck = {
  name: 'business-rules',
  promise:
    'resolving twice is 409 CONFLICT, and an 11th open ticket is 422 BUSINESS_RULE_VIOLATION until one is resolved',
  async run(ctx) {
    const caller = await ctx.newCaller();
    const ticket = await createTicket(ctx, caller);
    const resolve = `${API}/tickets/${ticket.id}/resolve`;

    // An action takes no body; a client that says JSON and sends nothing is no 400.
    const resolved = await ctx.send('POST', resolve, {
      as: caller,
      headers: { 'Content-Type': 'application/json' },
      raw: '',
    });
    expectStatus(resolved, 200, 'the first resolve');
    expectThat(resolved.body?.data?.status === 'resolved', resolved, 'expected status resolved');
    expectError(await ctx.send('POST', resolve, { as: caller }), 409, 'CONFLICT');

    // The caller may hold open tickets already (a fixture user on a stage without accounts of
    // its own): create until refused, then count.
    let refusal: Answer = resolved;
    for (let i = 0; i <= MAX_OPEN; i++) {
      refusal = await ctx.send('POST', `${API}/tickets`, {
        as: caller,
        json: { subject: uniqueSubject('Open-ticket limit') },
      });
      if (refusal.status !== 201) break;
    }
    expectThat(refusal.status !== 201, refusal, `expected a refusal by the ${MAX_OPEN + 1}th`);
    expectError(refusal, 422, 'BUSINESS_RULE_VIOLATION');
    const open = await openTicketsOf(ctx, caller);
    expectThat(open.length === MAX_OPEN, refusal, `expected ${MAX_OPEN} open, got ${open.length}`);

    // Resolving one makes room for exactly one more; then resolve them all, so this caller
    // leaves no limit behind for the next check.
    const first = open[0] as Ticket;
    expectStatus(await ctx.send('POST', `${API}/tickets/${first.id}/resolve`, { as: caller }), 200);
    const again = await createTicket(ctx, caller);
    const full = await ctx.send('POST', `${API}/tickets`, {
      as: caller,
      json: { subject: uniqueSubject('Open-ticket limit') },
    });
    expectError(full, 422, 'BUSINESS_RULE_VIOLATION');
    for (const ticket of [...open.slice(1), again]) {
      await ctx.send('POST', `${API}/tickets/${ticket.id}/resolve`, { as: caller });
    }
  },
};
