import type { CapabilityCheck } from '../context.ts';
import { type Answer, API, expectError, expectHeader, expectStatus, expectThat } from '../http.ts';
import { createTicket } from '../tickets.ts';

function onlyKey(answer: Answer, key: string): void {
  const keys = Object.keys(answer.body ?? {});
  expectThat(
    keys.length === 1 && keys[0] === key,
    answer,
    `expected a body with "${key}" and nothing beside it`,
  );
}

// The one shape clients parse: `{ data }` for a success, `{ error: { code, message } }` for a
// failure, JSON either way. A client written against stage 01 reads stage 10's answers.
export const envelope: CapabilityCheck = {
  name: 'envelope',
  promise: 'a success is JSON { data } and an error is JSON { error: { code, message } }',
  async run(ctx) {
    const caller = await ctx.newCaller();
    const ticket = await createTicket(ctx, caller);

    const read = await ctx.send('GET', `${API}/tickets/${ticket.id}`, { as: caller });
    expectStatus(read, 200);
    expectHeader(read, 'Content-Type', /^application\/json\b/);
    onlyKey(read, 'data');
    expectThat(read.body.data.id === ticket.id, read, `expected data.id ${ticket.id}`);

    const list = await ctx.send('GET', `${API}/tickets`, { as: caller });
    expectStatus(list, 200);
    expectThat(Array.isArray(list.body?.data), list, 'expected data to be an array');

    const missing = await ctx.send('GET', `${API}/no-such-route`, { as: caller });
    expectError(missing, 404, 'NOT_FOUND');
    expectHeader(missing, 'Content-Type', /^application\/json\b/);
    onlyKey(missing, 'error');
  },
};
