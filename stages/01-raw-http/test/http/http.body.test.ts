import { TICKET_LIMITS } from '@backend-path/shared/domain/tickets';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES, buildApp, createTicket } from '../support/helpers.ts';

// What real clients send: 2-, 3- and 4-byte UTF-8 and characters JSON escapes (`"`, `\n`, `\\`,
// `\t`, a control character as `\u0007`); ten UTF-16 code units, not ending in whitespace.
const MIXED = 'x"é€\n\u0007\\\t😀';
// The worst case: JSON sends U+0001 as the 6-byte escape `\u0001`.
const ESCAPED = '\u0001';

/** `length` UTF-16 code units (what `.length` and the limits count) of whole copies of `unit`. */
function textOf(unit: string, length: number): string {
  return unit.repeat(length / unit.length);
}

function largestValidTicket(unit: string) {
  const { subjectMaxLength, descriptionMaxLength } = TICKET_LIMITS;
  return {
    subject: textOf(unit, subjectMaxLength),
    description: textOf(unit, descriptionMaxLength),
    priority: 'critical',
  };
}

function bodyOfSize(bytes: number): string {
  const skeleton = JSON.stringify({ subject: 'Big', description: '' });
  return JSON.stringify({ subject: 'Big', description: 'x'.repeat(bytes - skeleton.length) });
}

describe('POST /api/v1/tickets: reading the body', () => {
  it('When the body exceeds the limit, then 413 PAYLOAD_TOO_LARGE and no ticket is created', async () => {
    const { app, deps } = buildApp();

    const res = await request(app)
      .post('/api/v1/tickets')
      .set('Content-Type', 'application/json')
      .send(bodyOfSize(BODY_LIMIT_BYTES + 1));

    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await deps.store.list()).toEqual([]);
  });

  it('When the body exceeds the limit on a keep-alive connection, then the 413 closes it', async () => {
    const { app } = buildApp();

    const res = await request(app)
      .post('/api/v1/tickets')
      .set('Connection', 'keep-alive')
      .set('Content-Type', 'application/json')
      .send(bodyOfSize(BODY_LIMIT_BYTES + 1));

    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe('close');
  });

  it('When the body is exactly at the limit, then it is read (and validated: 422, not 413)', async () => {
    const { app } = buildApp();

    const res = await request(app)
      .post('/api/v1/tickets')
      .set('Content-Type', 'application/json')
      .send(bodyOfSize(BODY_LIMIT_BYTES));

    expect(res.status).toBe(422); // the description is over 5000 characters
    expect(res.body.error.fields).toEqual({ description: expect.any(String) });
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['almost JSON', 'application/jsonp'],
  ])('When the Content-Type is %s, then 415 UNSUPPORTED_MEDIA_TYPE', async (_case, type) => {
    const { app, deps } = buildApp();

    const res = await request(app)
      .post('/api/v1/tickets')
      .set('Content-Type', type)
      .send('{"subject":"Looks like JSON"}');

    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await deps.store.list()).toEqual([]);
  });

  it('When there is no Content-Type at all, then 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const { app } = buildApp();

    const res = await request(app)
      .post('/api/v1/tickets')
      .send(Buffer.from('{"subject":"No type"}'))
      .unset('Content-Type');

    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it.each(['application/json; charset=utf-8', 'Application/JSON;charset=UTF-8'])(
    'When the Content-Type is "%s", then it is accepted as JSON',
    async (type) => {
      const { app } = buildApp();

      const res = await request(app)
        .post('/api/v1/tickets')
        .set('Content-Type', type)
        .send('{"subject":"With charset"}');

      expect(res.status).toBe(201);
    },
  );

  it.each(['{"subject": ', "{'subject': 'single quotes'}", ' '])(
    'When the body is not valid JSON (%j), then 400 MALFORMED_JSON',
    async (body) => {
      const { app, deps } = buildApp();

      const res = await request(app)
        .post('/api/v1/tickets')
        .set('Content-Type', 'application/json')
        .send(body);

      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('MALFORMED_JSON');
      expect(await deps.store.list()).toEqual([]);
    },
  );

  it('When the body is empty with Content-Type: application/json, then the answer is exactly that for no body', async () => {
    const { app, deps } = buildApp();

    const empty = await request(app)
      .post('/api/v1/tickets')
      .set('Content-Type', 'application/json')
      .send('');
    const missing = await request(app).post('/api/v1/tickets');

    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('INVALID_BODY');
    expect(missing.status).toBe(empty.status);
    expect(missing.body).toEqual(empty.body);
    expect(await deps.store.list()).toEqual([]);
  });

  it.each(['[{"subject":"in an array"}]', '42', 'null', '"a string"', 'true'])(
    'When the JSON is %s (not an object), then 400 INVALID_BODY',
    async (body) => {
      const { app, deps } = buildApp();

      const res = await request(app)
        .post('/api/v1/tickets')
        .set('Content-Type', 'application/json')
        .send(body);

      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_BODY');
      expect(await deps.store.list()).toEqual([]);
    },
  );
});

describe('PATCH /api/v1/tickets/:id: reading the body', () => {
  it('When the body exceeds the limit, then 413 and the ticket is unchanged', async () => {
    const { app, deps } = buildApp();
    const ticket = await createTicket(app);

    const res = await request(app)
      .patch(`/api/v1/tickets/${ticket.id}`)
      .set('Content-Type', 'application/json')
      .send(bodyOfSize(BODY_LIMIT_BYTES + 1));

    expect(res.status).toBe(413);
    expect(await deps.store.findById(ticket.id)).toEqual(ticket);
  });

  it('When the Content-Type is text/plain, then 415 and the ticket is unchanged', async () => {
    const { app, deps } = buildApp();
    const ticket = await createTicket(app);

    const res = await request(app)
      .patch(`/api/v1/tickets/${ticket.id}`)
      .set('Content-Type', 'text/plain')
      .send('{"priority":"high"}');

    expect(res.status).toBe(415);
    expect(await deps.store.findById(ticket.id)).toEqual(ticket);
  });
});

describe('The body limit: derived from the largest valid body', () => {
  it.each([
    ['mixed (2-, 3-, 4-byte, escaped)', MIXED],
    ['worst-case (6-byte \\u00XX escapes)', ESCAPED],
  ])(
    'When the largest valid ticket is sent in %s characters, then 201 and it is stored intact',
    async (_case, unit) => {
      const { app, deps } = buildApp();
      const ticket = largestValidTicket(unit);

      const res = await request(app).post('/api/v1/tickets').send(ticket);

      expect(res.status).toBe(201);
      expect(await deps.store.findById(res.body.data.id)).toMatchObject(ticket);
    },
  );

  it('When that ticket is padded with JSON whitespace to exactly the limit, then 201; one byte more, then 413', async () => {
    const { app, deps } = buildApp();
    const compact = JSON.stringify(largestValidTicket(ESCAPED));
    const padTo = (bytes: number) =>
      `${compact.slice(0, -1)}${' '.repeat(bytes - Buffer.byteLength(compact))}}`;

    const atLimit = await request(app)
      .post('/api/v1/tickets')
      .set('Content-Type', 'application/json')
      .send(padTo(BODY_LIMIT_BYTES));
    const overLimit = await request(app)
      .post('/api/v1/tickets')
      .set('Content-Type', 'application/json')
      .send(padTo(BODY_LIMIT_BYTES + 1));

    expect(atLimit.status).toBe(201);
    expect(overLimit.status).toBe(413);
    expect(overLimit.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await deps.store.list()).map((t) => t.id)).toEqual([atLimit.body.data.id]);
  });
});
