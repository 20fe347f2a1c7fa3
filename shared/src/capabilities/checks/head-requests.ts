import type { CapabilityCheck } from '../context.ts';
import { API, expectHeader, expectStatus, expectThat, header, listsItem } from '../http.ts';
import { createTicket } from '../tickets.ts';

// HEAD is GET without the body: a client (or a cache) checks a ticket's ETag for a few bytes.
export const headRequests: CapabilityCheck = {
  name: 'head-requests',
  promise: 'HEAD answers like GET without the body, and Allow lists it',
  async run(ctx) {
    const caller = await ctx.newCaller();
    const ticket = await createTicket(ctx, caller);
    const path = `${API}/tickets/${ticket.id}`;

    const get = await ctx.send('GET', path, { as: caller });
    const head = await ctx.send('HEAD', path, { as: caller });

    expectStatus(head, 200);
    expectThat(head.text === '', head, 'expected no body');
    expectHeader(head, 'ETag', header(get, 'ETag') ?? 'the ETag of GET');
    expectHeader(head, 'Content-Type', header(get, 'Content-Type') ?? 'the Content-Type of GET');
    const allow = await ctx.send('PUT', path, { as: caller, json: {} });
    expectThat(listsItem(allow, 'Allow', 'HEAD'), allow, 'expected Allow to list HEAD');
  },
};
