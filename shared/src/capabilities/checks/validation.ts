import type { CapabilityCheck } from '../context.ts';
import { API, expectError, expectThat } from '../http.ts';
import { countTickets, createTicket } from '../tickets.ts';

// 400: the body cannot even be read as what the route takes. 422: it was read, and it is wrong,
// with every bad field named at once so a form can mark them all. Neither leaves a trace.
export const validation: CapabilityCheck = {
  name: 'validation',
  promise:
    'a body that is not an object is 400 INVALID_BODY, bad fields are 422 naming each one, and nothing is stored',
  async run(ctx) {
    const caller = await ctx.newCaller();
    const ticket = await createTicket(ctx, caller);
    const before = await countTickets(ctx, caller);

    const notAnObject = await ctx.send('POST', `${API}/tickets`, { as: caller, json: [] });
    expectError(notAnObject, 400, 'INVALID_BODY');

    const invalid = await ctx.send('POST', `${API}/tickets`, {
      as: caller,
      // A blank subject, an unknown priority, and a field no ticket has (mass assignment).
      json: { subject: '   ', priority: 'urgent', color: 'red' },
    });
    expectError(invalid, 422, 'VALIDATION_FAILED');
    const fields = invalid.body.error.fields ?? {};
    for (const field of ['subject', 'priority', 'color']) {
      expectThat(typeof fields[field] === 'string', invalid, `expected error.fields.${field}`);
    }

    // Hostile input: a NUL character (PostgreSQL's text refuses it; C libraries stop at it) and a
    // key that would reach an object's prototype are named like any other bad field.
    const nul = await ctx.send('POST', `${API}/tickets`, {
      as: caller,
      json: { subject: 'Before\u0000after' },
    });
    expectError(nul, 422, 'VALIDATION_FAILED');
    expectThat(
      typeof nul.body.error.fields?.subject === 'string',
      nul,
      'expected error.fields.subject',
    );
    const proto = await ctx.send('POST', `${API}/tickets`, {
      as: caller,
      headers: { 'Content-Type': 'application/json' },
      raw: '{"subject":"Prototype","__proto__":{"status":"resolved"}}',
    });
    expectError(proto, 422, 'VALIDATION_FAILED');

    const badChange = await ctx.send('PATCH', `${API}/tickets/${ticket.id}`, {
      as: caller,
      json: { priority: 'urgent' },
    });
    expectError(badChange, 422, 'VALIDATION_FAILED');
    expectThat(
      typeof badChange.body.error.fields?.priority === 'string',
      badChange,
      'expected error.fields.priority',
    );

    const after = await countTickets(ctx, caller);
    expectThat(
      after === before,
      invalid,
      `expected no new ticket (${before} before, ${after} after)`,
    );
    const unchanged = await ctx.send('GET', `${API}/tickets/${ticket.id}`, { as: caller });
    expectThat(
      unchanged.body?.data?.priority === ticket.priority,
      unchanged,
      `expected the refused PATCH to change nothing (priority ${ticket.priority})`,
    );
  },
};
