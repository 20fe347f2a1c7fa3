import { randomUUID } from 'node:crypto';
import type { CapabilityCheck } from '../context.ts';
import { API, expectError, expectStatus, expectThat } from '../http.ts';
import { createTicket } from '../tickets.ts';

// Stages 02–04 name the caller in a header (`X-User-Id`): no header, or one naming nobody, is
// 401; the caller is who the stored ticket says created it. Stage 05 replaces the header by a
// token the caller must prove (auth): anyone could claim any X-User-Id.
export const callerHeader: CapabilityCheck = {
  name: 'caller-header',
  promise:
    'X-User-Id names the caller: missing or unknown is 401 UNAUTHENTICATED, and a ticket records who created it',
  async run(ctx) {
    const caller = await ctx.newCaller();

    expectError(await ctx.send('GET', `${API}/tickets`), 401, 'UNAUTHENTICATED');
    const stranger = { 'X-User-Id': randomUUID() };
    expectError(
      await ctx.send('GET', `${API}/tickets`, { headers: stranger }),
      401,
      'UNAUTHENTICATED',
    );
    expectError(
      await ctx.send('POST', `${API}/tickets`, { headers: stranger, json: { subject: 'Hi' } }),
      401,
      'UNAUTHENTICATED',
    );

    const ticket = await createTicket(ctx, caller);
    const read = await ctx.send('GET', `${API}/tickets/${ticket.id}`, { as: caller });
    expectStatus(read, 200);
    expectThat(
      read.body?.data?.createdBy === caller.id && read.body.data.accountId === caller.accountId,
      read,
      `expected createdBy ${caller.id} in account ${caller.accountId}`,
    );
  },
};
