import type { CapabilityCheck } from '../context.ts';
import { API, expectError, expectStatus, expectThat } from '../http.ts';
import { createTicket } from '../tickets.ts';

// Broken object-level authorisation (OWASP API1) is a logged-in user asking for someone else's
// row. Another account's ticket answers exactly as a missing one: 404, never 403 (which would
// confirm it exists), and lists hold only the caller's account.
export const accountScoping: CapabilityCheck = {
  name: 'account-scoping',
  promise: "another account's ticket is 404 to read, change or delete, and never in its lists",
  async run(ctx) {
    const owner = await ctx.newCaller();
    const outsider = await ctx.newCaller();
    const ticket = await createTicket(ctx, owner);
    const path = `${API}/tickets/${ticket.id}`;

    expectError(await ctx.send('GET', path, { as: outsider }), 404, 'NOT_FOUND');
    expectError(
      await ctx.send('PATCH', path, { as: outsider, json: { priority: 'low' } }),
      404,
      'NOT_FOUND',
    );
    expectError(await ctx.send('DELETE', path, { as: outsider }), 404, 'NOT_FOUND');
    const list = await ctx.send('GET', `${API}/tickets`, { as: outsider });
    expectStatus(list, 200, "the other account's list");
    expectThat(
      list.body?.data?.length === 0 && list.body.meta?.total === 0,
      list,
      'expected an empty list, meta.total 0, for the other account',
    );

    const still = await ctx.send('GET', path, { as: owner });
    expectStatus(still, 200, "the owner's ticket after the outsider's attempts");
    expectThat(still.body?.data?.priority === ticket.priority, still, 'expected it unchanged');
  },
};
