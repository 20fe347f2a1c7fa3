import { randomUUID } from 'node:crypto';
import type { CapabilityCheck } from '../context.ts';
import { API, expectError, expectHeader, expectStatus, expectThat, header } from '../http.ts';
import { countTickets } from '../tickets.ts';

// A client that retries a create (its connection dropped before the answer came) sends the same
// Idempotency-Key: it gets the first answer again, and there is still one ticket.
export const idempotency: CapabilityCheck = {
  name: 'idempotency',
  promise:
    'a create retried with the same Idempotency-Key replays the first answer and stores one ticket; another body with that key is 422',
  async run(ctx) {
    const caller = await ctx.newCaller();
    const key = { 'Idempotency-Key': `"${randomUUID()}"` };
    const body = { subject: 'Sent twice', priority: 'low' };
    const before = await countTickets(ctx, caller);

    const first = await ctx.send('POST', `${API}/tickets`, {
      as: caller,
      headers: key,
      json: body,
    });
    expectStatus(first, 201, 'the first create');
    const retry = await ctx.send('POST', `${API}/tickets`, {
      as: caller,
      headers: key,
      json: body,
    });
    expectStatus(retry, 201, 'the retry');
    expectHeader(retry, 'Idempotent-Replayed', 'true');
    expectHeader(retry, 'Location', header(first, 'Location') ?? 'the first Location');
    expectThat(
      retry.body?.data?.id === first.body?.data?.id,
      retry,
      `expected the first answer's ticket, ${first.body?.data?.id}`,
    );
    const after = await countTickets(ctx, caller);
    expectThat(
      after === before + 1,
      retry,
      `expected one new ticket (${before} before, ${after} after)`,
    );

    const reused = await ctx.send('POST', `${API}/tickets`, {
      as: caller,
      headers: key,
      json: { ...body, subject: 'Another request' },
    });
    expectError(reused, 422, 'IDEMPOTENCY_KEY_REUSED');
    const malformed = await ctx.send('POST', `${API}/tickets`, {
      as: caller,
      headers: { 'Idempotency-Key': `"${'k'.repeat(300)}"` },
      json: body,
    });
    expectError(malformed, 400, 'INVALID_IDEMPOTENCY_KEY');
    const last = await countTickets(ctx, caller);
    expectThat(
      last === after,
      malformed,
      `expected no ticket from the refused keys (${after}, then ${last})`,
    );
  },
};
