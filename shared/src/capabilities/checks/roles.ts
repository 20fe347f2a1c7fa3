import type { CapabilityCheck } from '../context.ts';
import { API, expectError, expectStatus, expectThat } from '../http.ts';
import { createTicket } from '../tickets.ts';

// 403: we know who you are, and your role may not do this. The refused request changes nothing.
export const roles: CapabilityCheck = {
  name: 'roles',
  promise:
    "a role that may not do something is 403 FORBIDDEN and changes nothing; the admin's request succeeds",
  async run(ctx) {
    const admin = await ctx.newCaller();
    const customer = await admin.colleague('customer');
    const ticket = await createTicket(ctx, customer);
    const path = `${API}/tickets/${ticket.id}`;

    expectError(await ctx.send('DELETE', path, { as: customer }), 403, 'FORBIDDEN');
    expectError(
      await ctx.send('PATCH', path, { as: customer, json: { priority: 'low' } }),
      403,
      'FORBIDDEN',
    );
    expectError(await ctx.send('POST', `${path}/resolve`, { as: customer }), 403, 'FORBIDDEN');
    const still = await ctx.send('GET', path, { as: customer });
    expectStatus(still, 200, 'the ticket after the refusals');
    expectThat(
      still.body?.data?.priority === ticket.priority && still.body.data.status === 'open',
      still,
      'expected the refused requests to change nothing',
    );

    expectStatus(await ctx.send('DELETE', path, { as: admin }), 204, "the admin's DELETE");
    expectError(await ctx.send('GET', path, { as: admin }), 404, 'NOT_FOUND');
  },
};
