import { randomUUID } from 'node:crypto';
import type { Ticket } from '../../domain/tickets.ts';
import type { CapabilityCheck } from '../context.ts';
import { API, expectStatus, expectThat } from '../http.ts';
import { createTicket } from '../tickets.ts';

// A list answers its page and how to get the next one, without counting every row it matches:
// meta.hasMore (the page read one row more), a cursor exactly when more follow, and a total that
// is exact only below a cap (meta.totalExact). The cap itself (1,000) takes more rows than a
// black-box check should create: each stage's tests store them (tickets.repository, pagination).
export const boundedCount: CapabilityCheck = {
  name: 'bounded-count',
  promise:
    'a page says whether more follow (meta.hasMore, with meta.nextCursor exactly then) and whether meta.total is exact (meta.totalExact), so no request counts a whole table',
  async run(ctx) {
    const caller = await ctx.newCaller();
    // A word of our own in the subjects: the list below holds these three tickets and no other
    // check's, whichever accounts the stage lists.
    const word = `bounded${randomUUID().slice(0, 8)}`;
    for (let i = 0; i < 3; i++) await createTicket(ctx, caller, { subject: `Count ${word} ${i}` });
    const list = (query: string) =>
      ctx.send('GET', `${API}/tickets?q=${word}&${query}`, { as: caller });

    const first = await list('pageSize=2');
    expectStatus(first, 200, 'the first page');
    const meta = first.body?.meta ?? {};
    expectThat(
      meta.total === 3 && meta.totalExact === true,
      first,
      'expected meta.total 3 and meta.totalExact true',
    );
    expectThat(
      meta.hasMore === true && typeof meta.nextCursor === 'string',
      first,
      'expected meta.hasMore true and a meta.nextCursor: one ticket follows',
    );

    const next = await list(`pageSize=2&after=${encodeURIComponent(meta.nextCursor)}`);
    expectStatus(next, 200, 'the page after the cursor');
    expectThat(
      (next.body?.data as Ticket[] | undefined)?.length === 1 &&
        next.body.meta.hasMore === false &&
        next.body.meta.nextCursor === null,
      next,
      'expected the last ticket, meta.hasMore false and meta.nextCursor null',
    );

    // A full page that is also the last: no cursor leading to an empty page.
    const whole = await list('pageSize=3');
    expectStatus(whole, 200, 'a page holding the whole list');
    expectThat(
      whole.body?.data?.length === 3 &&
        whole.body.meta.hasMore === false &&
        whole.body.meta.nextCursor === null,
      whole,
      'expected all three tickets, meta.hasMore false and meta.nextCursor null',
    );
  },
};
