import type { Ticket } from '../../domain/tickets.ts';
import type { CapabilityCheck } from '../context.ts';
import { API, expectError, expectStatus, expectThat } from '../http.ts';
import { createTicket } from '../tickets.ts';

// Every list is a page: capped, counted, and continued by page number or by cursor.
export const pagination: CapabilityCheck = {
  name: 'pagination',
  promise:
    'lists answer one capped page with meta { page, pageSize, total, totalPages }, continued by ?page or by cursor',
  async run(ctx) {
    const caller = await ctx.newCaller();
    const mine = [
      await createTicket(ctx, caller),
      await createTicket(ctx, caller),
      await createTicket(ctx, caller),
    ];
    // The three newest tickets (no check runs beside this one). Their order among themselves
    // is the server's to decide when two share a timestamp: pages must only agree with it.
    const ids = new Set(mine.map((ticket) => ticket.id));

    const first = await ctx.send('GET', `${API}/tickets?pageSize=2`, { as: caller });
    expectStatus(first, 200);
    const meta = first.body?.meta ?? {};
    expectThat(
      meta.page === 1 && meta.pageSize === 2 && meta.total >= 3,
      first,
      'expected meta.page 1, meta.pageSize 2, meta.total ≥ 3',
    );
    expectThat(
      meta.totalPages === Math.ceil(meta.total / 2),
      first,
      'expected meta.totalPages = ⌈total / pageSize⌉',
    );
    const page1 = first.body.data as Ticket[];
    expectThat(
      page1.length === 2 && page1.every((ticket) => ids.has(ticket.id)),
      first,
      `expected two of the three newest tickets (${[...ids].join(', ')})`,
    );
    expectThat(
      (page1[0]?.createdAt ?? '') >= (page1[1]?.createdAt ?? ''),
      first,
      'expected newest first',
    );
    const third = [...ids].find((id) => !page1.some((ticket) => ticket.id === id));

    const second = await ctx.send('GET', `${API}/tickets?pageSize=2&page=2`, { as: caller });
    expectStatus(second, 200, 'page 2');
    expectThat(
      second.body?.data?.[0]?.id === third && second.body.meta.page === 2,
      second,
      `expected page 2 to start with the third newest, ${third}`,
    );

    expectThat(typeof meta.nextCursor === 'string', first, 'expected meta.nextCursor');
    const cursor = encodeURIComponent(meta.nextCursor);
    const after = await ctx.send('GET', `${API}/tickets?pageSize=2&after=${cursor}`, {
      as: caller,
    });
    expectStatus(after, 200, 'the page after the cursor');
    expectThat(
      after.body?.data?.[0]?.id === third,
      after,
      `expected the cursor's page to start where page 1 ended, with ${third}`,
    );

    const uncapped = await ctx.send('GET', `${API}/tickets?pageSize=100000`, { as: caller });
    expectError(uncapped, 400, 'INVALID_QUERY');
    expectThat(
      typeof uncapped.body.error.fields?.pageSize === 'string',
      uncapped,
      'expected error.fields.pageSize',
    );
    const unknown = await ctx.send('GET', `${API}/tickets?colour=red`, { as: caller });
    expectError(unknown, 400, 'INVALID_QUERY');
    const twice = await ctx.send('GET', `${API}/tickets?page=1&page=2`, { as: caller });
    expectError(twice, 400, 'INVALID_QUERY');
    // OFFSET reads every row it skips: past a depth, the cursor is the way on.
    const deep = await ctx.send('GET', `${API}/tickets?page=1000&pageSize=100`, { as: caller });
    expectError(deep, 400, 'INVALID_QUERY');
    expectThat(
      typeof deep.body.error.fields?.page === 'string',
      deep,
      'expected error.fields.page',
    );
    const byDefault = await ctx.send('GET', `${API}/tickets`, { as: caller });
    expectThat(
      byDefault.body?.meta?.pageSize > 0 && byDefault.body.meta.pageSize <= 100,
      byDefault,
      'expected a default page size of at most 100',
    );
  },
};
