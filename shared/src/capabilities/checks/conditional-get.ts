import type { CapabilityCheck } from '../context.ts';
import { API, expectHeader, expectNoHeader, expectStatus, expectThat, header } from '../http.ts';
import { createTicket } from '../tickets.ts';

// A single ticket carries a strong ETag and `no-cache` (keep it, but ask first): asking again
// with If-None-Match costs a 304 of a few bytes until the ticket changes. A list is `no-store`:
// it changes with every write anywhere in it.
export const conditionalGet: CapabilityCheck = {
  name: 'conditional-get',
  promise:
    'a ticket has a strong ETag, If-None-Match gets 304 until it changes, and lists and writes are no-store',
  async run(ctx) {
    const caller = await ctx.newCaller();
    const ticket = await createTicket(ctx, caller);
    const path = `${API}/tickets/${ticket.id}`;

    const first = await ctx.send('GET', path, { as: caller });
    expectStatus(first, 200);
    expectHeader(first, 'ETag', /^"[^"]+"$/);
    expectHeader(first, 'Cache-Control', /\bno-cache\b/);
    const etag = header(first, 'ETag') ?? '';

    const same = await ctx.send('GET', path, { as: caller, headers: { 'If-None-Match': etag } });
    expectStatus(same, 304, 'If-None-Match with the current ETag');
    expectThat(same.text === '', same, 'expected no body with 304');
    expectHeader(same, 'ETag', etag);

    const other = await ctx.send('GET', path, {
      as: caller,
      headers: { 'If-None-Match': '"nope"' },
    });
    expectStatus(other, 200, 'If-None-Match with an ETag the ticket never had');

    const changed = await ctx.send('PATCH', path, { as: caller, json: { priority: 'low' } });
    expectStatus(changed, 200, 'PATCH');
    // The answer to a write is that moment's state, never to be reused.
    expectHeader(changed, 'Cache-Control', /\bno-store\b/);
    const stale = await ctx.send('GET', path, { as: caller, headers: { 'If-None-Match': etag } });
    expectStatus(stale, 200, 'If-None-Match with the ETag from before the PATCH');
    expectThat(stale.body?.data?.priority === 'low', stale, 'expected the changed ticket');
    expectThat(header(stale, 'ETag') !== etag, stale, `expected a new ETag, not ${etag}`);

    const list = await ctx.send('GET', `${API}/tickets`, { as: caller });
    expectStatus(list, 200);
    expectHeader(list, 'Cache-Control', /\bno-store\b/);
    expectNoHeader(list, 'ETag');
  },
};
