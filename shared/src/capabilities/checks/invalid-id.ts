import { randomUUID } from 'node:crypto';
import type { CapabilityCheck } from '../context.ts';
import { API, expectError } from '../http.ts';

// An id that cannot name anything is the client's bug (400 INVALID_ID, checked before any
// query); a well-formed id that names nothing is 404.
export const invalidId: CapabilityCheck = {
  name: 'invalid-id',
  promise: 'a malformed id in the path is 400 INVALID_ID and an unknown UUID is 404',
  async run(ctx) {
    const caller = await ctx.newCaller();

    expectError(
      await ctx.send('GET', `${API}/tickets/not-a-uuid`, { as: caller }),
      400,
      'INVALID_ID',
    );
    expectError(
      await ctx.send('PATCH', `${API}/tickets/12345`, { as: caller, json: { priority: 'low' } }),
      400,
      'INVALID_ID',
    );
    expectError(
      await ctx.send('GET', `${API}/tickets/${randomUUID()}`, { as: caller }),
      404,
      'NOT_FOUND',
    );
  },
};
