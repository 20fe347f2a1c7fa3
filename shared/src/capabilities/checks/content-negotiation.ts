import type { CapabilityCheck } from '../context.ts';
import { API, expectError, expectHeader, expectStatus, expectThat } from '../http.ts';
import { countTickets } from '../tickets.ts';

// Content-Type says what the client sends (415 when we cannot read it); Accept says what it can
// read. This API writes only JSON: a client that accepts no JSON is told so (406) before any work.
export const contentNegotiation: CapabilityCheck = {
  name: 'content-negotiation',
  promise:
    'a client that accepts no JSON gets 406 NOT_ACCEPTABLE (in JSON) before any work, and */* is fine',
  async run(ctx) {
    const caller = await ctx.newCaller();
    const before = await countTickets(ctx, caller);

    const html = await ctx.send('GET', `${API}/health`, { headers: { Accept: 'text/html' } });
    expectError(html, 406, 'NOT_ACCEPTABLE');
    expectHeader(html, 'Content-Type', /^application\/json\b/);
    const write = await ctx.send('POST', `${API}/tickets`, {
      as: caller,
      headers: { Accept: 'text/csv' },
      json: { subject: 'Never stored' },
    });
    expectError(write, 406, 'NOT_ACCEPTABLE');

    for (const accept of ['*/*', 'application/json', 'text/html, application/json;q=0.5']) {
      expectStatus(
        await ctx.send('GET', `${API}/health`, { headers: { Accept: accept } }),
        200,
        accept,
      );
    }
    const after = await countTickets(ctx, caller);
    expectThat(
      after === before,
      write,
      `expected no new ticket (${before} before, ${after} after)`,
    );
  },
};
