import { COMMENT_LIMITS } from '../../domain/comments.ts';
import type { CapabilityCheck } from '../context.ts';
import { API, expectError, expectHeader, expectStatus, expectThat, header } from '../http.ts';
import { createTicket } from '../tickets.ts';

// A ticket's conversation is a resource of its own under the ticket: created with 201 +
// Location, listed oldest first in pages like every list, and gone with its ticket.
export const comments: CapabilityCheck = {
  name: 'comments',
  promise:
    "a ticket's comments are created 201 + Location (the longest valid one too), listed oldest first with meta and inside their ticket with ?include=comments, refused 422 when blank, and go with their ticket",
  async run(ctx) {
    const caller = await ctx.newCaller();
    const ticket = await createTicket(ctx, caller);
    const path = `${API}/tickets/${ticket.id}/comments`;

    const first = await ctx.send('POST', path, { as: caller, json: { body: 'First, this.' } });
    expectStatus(first, 201, 'a comment');
    expectHeader(first, 'Location', `${path}/${first.body?.data?.id}`);
    const there = await ctx.send('GET', header(first, 'Location') ?? '', { as: caller });
    expectStatus(there, 200, 'GET the Location of the comment');
    expectThat(there.body?.data?.body === 'First, this.', there, 'expected the comment');
    const second = await ctx.send('POST', path, { as: caller, json: { body: 'Then that.' } });
    expectStatus(second, 201, 'a second comment');

    const blank = await ctx.send('POST', path, { as: caller, json: { body: '  ' } });
    expectError(blank, 422, 'VALIDATION_FAILED');
    expectThat(
      typeof blank.body.error.fields?.body === 'string',
      blank,
      'expected error.fields.body',
    );

    // The longest comment, every character escaped: the body limit was derived from it.
    const longest = await ctx.send('POST', path, {
      as: caller,
      json: { body: '\u0001'.repeat(COMMENT_LIMITS.bodyMaxLength) },
    });
    expectStatus(longest, 201, 'the longest valid comment, every character escaped');

    const list = await ctx.send('GET', path, { as: caller });
    expectStatus(list, 200, 'the comments');
    const ids = (list.body?.data ?? []).map((comment: { id: string }) => comment.id);
    const expected = [first.body.data.id, second.body.data.id, longest.body.data.id];
    expectThat(
      ids.join() === expected.join() && list.body.meta?.total === 3,
      list,
      'expected the three comments, oldest first, and meta.total 3',
    );

    // A page of tickets with their comments, in one request: each ticket carries its newest few.
    const withComments = await ctx.send('GET', `${API}/tickets?include=comments`, { as: caller });
    expectStatus(withComments, 200, '?include=comments');
    const listed = (withComments.body?.data ?? []).find((t: { id: string }) => t.id === ticket.id);
    expectThat(
      listed?.commentCount === 3 &&
        Array.isArray(listed.comments) &&
        listed.comments.at(-1)?.id === longest.body.data.id,
      withComments,
      `expected ticket ${ticket.id} with commentCount 3 and its comments, newest last`,
    );

    expectStatus(await ctx.send('DELETE', `${API}/tickets/${ticket.id}`, { as: caller }), 204);
    expectError(await ctx.send('GET', path, { as: caller }), 404, 'NOT_FOUND');
    expectError(
      await ctx.send('POST', path, { as: caller, json: { body: 'Too late.' } }),
      404,
      'NOT_FOUND',
    );
  },
};
