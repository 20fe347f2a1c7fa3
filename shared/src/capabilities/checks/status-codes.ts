import { TICKET_LIMITS } from '../../domain/tickets.ts';
import type { CapabilityCheck } from '../context.ts';
import {
  API,
  expectError,
  expectHeader,
  expectStatus,
  expectThat,
  header,
  listsItem,
} from '../http.ts';
import { countTickets, createTicket } from '../tickets.ts';

/** The costliest character a valid text may hold: JSON writes it as 6 bytes, `\u0001`. */
const WORST = '\u0001';
/** Far past every stage's body limit (31 KB in stages 01–02, 60 KB from stage 03). */
const TOO_LARGE = 200_000;

// Status codes are the contract a client branches on before it reads a byte of the body.
export const statusCodes: CapabilityCheck = {
  name: 'status-codes',
  promise:
    'create is 201 + Location, delete 204 then 404, and 405 + Allow, 415, 400, 413 mean what they say (the largest valid ticket is no 413)',
  async run(ctx) {
    const caller = await ctx.newCaller();
    const ticket = await createTicket(ctx, caller, { subject: 'Status codes' });

    // 201's Location names where the new ticket lives, and it does live there.
    const created = await ctx.send('POST', `${API}/tickets`, {
      as: caller,
      json: { subject: 'Status codes, again' },
    });
    expectStatus(created, 201);
    const location = header(created, 'Location');
    expectHeader(created, 'Location', `${API}/tickets/${created.body?.data?.id}`);
    const there = await ctx.send('GET', location ?? '', { as: caller });
    expectStatus(there, 200, 'GET the Location of a 201');
    expectThat(
      there.body?.data?.subject === 'Status codes, again',
      there,
      'expected the new ticket',
    );

    const changed = await ctx.send('PATCH', `${API}/tickets/${ticket.id}`, {
      as: caller,
      json: { priority: 'low' },
    });
    expectStatus(changed, 200, 'PATCH');
    expectThat(changed.body?.data?.priority === 'low', changed, 'expected priority low');

    const deleted = await ctx.send('DELETE', `${API}/tickets/${ticket.id}`, { as: caller });
    expectStatus(deleted, 204, 'DELETE');
    expectThat(deleted.text === '', deleted, 'expected an empty body with 204');
    const gone = await ctx.send('GET', `${API}/tickets/${ticket.id}`, { as: caller });
    expectError(gone, 404, 'NOT_FOUND');

    const wrongMethod = await ctx.send('PUT', `${API}/tickets`, { as: caller, json: {} });
    expectError(wrongMethod, 405, 'METHOD_NOT_ALLOWED');
    expectThat(
      listsItem(wrongMethod, 'Allow', 'GET') &&
        listsItem(wrongMethod, 'Allow', 'POST') &&
        listsItem(wrongMethod, 'Allow', 'OPTIONS') &&
        !listsItem(wrongMethod, 'Allow', 'PUT'),
      wrongMethod,
      `expected Allow to list GET, POST and OPTIONS (not PUT), got ${header(wrongMethod, 'Allow')}`,
    );

    // OPTIONS without a preflight is a question too: which methods does this path take?
    const options = await ctx.send('OPTIONS', `${API}/tickets`);
    expectStatus(options, 204, 'OPTIONS');
    expectThat(
      listsItem(options, 'Allow', 'GET') && listsItem(options, 'Allow', 'POST'),
      options,
      `expected Allow to list GET and POST, got ${header(options, 'Allow')}`,
    );

    // None of the refused bodies may leave a ticket behind.
    const before = await countTickets(ctx, caller);
    const notJson = await ctx.send('POST', `${API}/tickets`, {
      as: caller,
      headers: { 'Content-Type': 'text/plain' },
      raw: 'subject=hello',
    });
    expectError(notJson, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const broken = await ctx.send('POST', `${API}/tickets`, {
      as: caller,
      headers: { 'Content-Type': 'application/json' },
      raw: '{"subject": ',
    });
    expectError(broken, 400, 'MALFORMED_JSON');
    const huge = await ctx.send('POST', `${API}/tickets`, {
      as: caller,
      json: { subject: 'x'.repeat(TOO_LARGE) },
    });
    expectError(huge, 413, 'PAYLOAD_TOO_LARGE');
    // The rest of that body is never read: the connection cannot carry another request.
    expectHeader(huge, 'Connection', 'close');
    const after = await countTickets(ctx, caller);
    expectThat(after === before, huge, `expected no new ticket (${before} before, ${after} after)`);

    // The limit is derived from the largest valid body, in the costliest characters (6 bytes
    // each as \u00XX): it never refuses a ticket the API would accept.
    const largest = await ctx.send('POST', `${API}/tickets`, {
      as: caller,
      json: {
        subject: WORST.repeat(TICKET_LIMITS.subjectMaxLength),
        description: WORST.repeat(TICKET_LIMITS.descriptionMaxLength),
        priority: 'critical',
      },
    });
    expectStatus(largest, 201, 'the largest valid ticket, every character escaped');
    expectThat(
      largest.body?.data?.description?.length === TICKET_LIMITS.descriptionMaxLength,
      largest,
      'expected the whole description stored',
    );
  },
};
