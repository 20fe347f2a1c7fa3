import type { Ticket } from '../../domain/tickets.ts';
import type { CapabilityCheck } from '../context.ts';
import { API, expectHeader, expectStatus, expectThat } from '../http.ts';
import { createTicket } from '../tickets.ts';

// Cache-aside that is never wrong: a list is served from the cache the second time (X-Cache:
// HIT), and a write makes every cached answer of the account unreachable at once.
export const cache: CapabilityCheck = {
  name: 'cache',
  promise:
    'a repeated list or dashboard is an X-Cache HIT with the same body, and a write makes the next one a MISS that shows it',
  async run(ctx) {
    const caller = await ctx.newCaller();
    const list = `${API}/tickets?pageSize=5`;

    const miss = await ctx.send('GET', list, { as: caller });
    expectStatus(miss, 200);
    expectHeader(miss, 'X-Cache', 'MISS');
    const hit = await ctx.send('GET', list, { as: caller });
    expectHeader(hit, 'X-Cache', 'HIT');
    expectThat(hit.text === miss.text, hit, 'expected the cached body to be the same');
    // Served from Redis, still a list: no browser or proxy may keep it.
    expectHeader(hit, 'Cache-Control', /\bno-store\b/);

    const ticket = await createTicket(ctx, caller);
    const fresh = await ctx.send('GET', list, { as: caller });
    expectHeader(fresh, 'X-Cache', 'MISS');
    expectThat(
      (fresh.body?.data as Ticket[] | undefined)?.some((t) => t.id === ticket.id) === true,
      fresh,
      `expected the list after the write to show ${ticket.id}`,
    );
    expectHeader(await ctx.send('GET', list, { as: caller }), 'X-Cache', 'HIT');

    // The account dashboard: the costliest read, cached the same way.
    const stats = `${API}/stats`;
    const counted = await ctx.send('GET', stats, { as: caller });
    expectStatus(counted, 200, 'the dashboard');
    expectHeader(await ctx.send('GET', stats, { as: caller }), 'X-Cache', 'HIT');
    await createTicket(ctx, caller);
    const recounted = await ctx.send('GET', stats, { as: caller });
    expectHeader(recounted, 'X-Cache', 'MISS');
    expectThat(recounted.text !== counted.text, recounted, 'expected the new ticket counted');
  },
};
