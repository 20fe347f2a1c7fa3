import { describe, expect, it } from 'vitest';
import { allTickets, buildApp, createTicket, request } from '../support/helpers.ts';

// Input a well-meaning client rarely sends and an attacker always tries. Each answer is the
// ordinary validation answer (422 naming the field), in every stage, whatever stores the ticket.

/** A body with an own `__proto__` (or other) key, exactly as JSON.parse builds it on the server. */
function jsonWithKey(key: string, rest: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(`{${JSON.stringify(key)}: "x", ${JSON.stringify(rest).slice(1)}`);
}

describe('POST /api/v1/tickets: hostile input', () => {
  it.each([
    ['subject', { subject: 'Login\u0000broken' }],
    ['description', { subject: 'Login broken', description: 'Tried twice\u0000' }],
  ])('When %s contains U+0000, then 422 naming it and nothing is stored', async (field, body) => {
    const { app, deps } = buildApp();

    const res = await request(app).post('/api/v1/tickets').send(body);

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.fields).toEqual({ [field]: expect.stringContaining('U+0000') });
    expect(await allTickets(deps.tickets)).toEqual([]);
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'When the body has a %s key, then it is an unknown field: 422 naming it, nothing stored',
    async (key) => {
      const { app, deps } = buildApp();
      const body = jsonWithKey(key, { subject: 'Login broken' });
      expect(Object.keys(body)).toEqual([key, 'subject']); // the key really is sent

      const res = await request(app).post('/api/v1/tickets').send(body);

      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(res.body.error.fields)).toEqual([key]);
      expect(res.body.error.fields[key]).toBe('Unknown field.');
      expect(await allTickets(deps.tickets)).toEqual([]);
    },
  );
});

describe('PATCH /api/v1/tickets/:id: hostile input', () => {
  it.each([
    ['subject', { subject: 'Still\u0000broken' }],
    ['description', { description: '\u0000' }],
  ])(
    'When %s contains U+0000, then 422 naming it and the ticket is unchanged',
    async (field, body) => {
      const { app, deps } = buildApp();
      const created = await createTicket(app);

      const res = await request(app).patch(`/api/v1/tickets/${created.id}`).send(body);

      expect(res.status).toBe(422);
      expect(res.body.error.fields).toEqual({ [field]: expect.stringContaining('U+0000') });
      expect(await deps.tickets.findById(created.id)).toEqual(created);
    },
  );

  it.each(['__proto__', 'constructor', 'prototype'])(
    'When the body has a %s key, then 422 naming it and the ticket is unchanged',
    async (key) => {
      const { app, deps } = buildApp();
      const created = await createTicket(app);

      const res = await request(app)
        .patch(`/api/v1/tickets/${created.id}`)
        .send(jsonWithKey(key, { priority: 'high' }));

      expect(res.status).toBe(422);
      expect(Object.keys(res.body.error.fields)).toEqual([key]);
      expect(await deps.tickets.findById(created.id)).toEqual(created);
    },
  );
});
