import { TICKET_LIMITS } from '@backend-path/shared/domain/tickets';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildApp, createTicket, request } from '../support/helpers.ts';
import {
  expectClientError,
  LONE_SURROGATE_JSON,
  ROUND_TRIP_TEXT,
  type RowCounts,
  rowCounts,
} from './validation.helpers.ts';

// LESSON: a table of bad input per route. Every case is a 4xx in the envelope (never a 5xx),
// and nothing is written: the row counts of every table are the same after as before.

const { subjectMaxLength, descriptionMaxLength } = TICKET_LIMITS;
const UNKNOWN_ID = '0d000000-0000-4000-8000-0000000000ff';

type Case = [name: string, raw: string, status: number, code: string, fields?: string[]];

/** Raw JSON texts, sent as bytes: what a buggy or hostile client really sends. */
const CREATE_CASES: Case[] = [
  ['malformed JSON', '{"subject": "x",', 400, 'MALFORMED_JSON'],
  ['a number', '42', 400, 'INVALID_BODY'],
  ['a string', '"Printer on fire"', 400, 'INVALID_BODY'],
  ['null', 'null', 400, 'INVALID_BODY'],
  ['an array', '[{"subject": "Printer on fire"}]', 400, 'INVALID_BODY'],
  ['an empty object', '{}', 422, 'VALIDATION_FAILED', ['subject']],
  ['an extra field', '{"subject": "x", "status": "closed"}', 422, 'VALIDATION_FAILED', ['status']],
  [
    'a __proto__ key',
    '{"subject": "x", "__proto__": {"role": "admin"}}',
    422,
    'VALIDATION_FAILED',
    ['__proto__'],
  ],
  [
    'a constructor key',
    '{"subject": "x", "constructor": {}}',
    422,
    'VALIDATION_FAILED',
    ['constructor'],
  ],
  ['a prototype key', '{"subject": "x", "prototype": 1}', 422, 'VALIDATION_FAILED', ['prototype']],
  ['a number as subject', '{"subject": 42}', 422, 'VALIDATION_FAILED', ['subject']],
  ['null as subject', '{"subject": null}', 422, 'VALIDATION_FAILED', ['subject']],
  ['an array as subject', '{"subject": ["x"]}', 422, 'VALIDATION_FAILED', ['subject']],
  ['a blank subject', '{"subject": "   "}', 422, 'VALIDATION_FAILED', ['subject']],
  [
    'an unknown priority',
    '{"subject": "x", "priority": "urgent"}',
    422,
    'VALIDATION_FAILED',
    ['priority'],
  ],
  [
    'a number as description',
    '{"subject": "x", "description": 1}',
    422,
    'VALIDATION_FAILED',
    ['description'],
  ],
  [
    'a non-uuid assignee',
    '{"subject": "x", "assigneeId": "bob"}',
    422,
    'VALIDATION_FAILED',
    ['assigneeId'],
  ],
  [
    'U+0000 escaped in the subject',
    '{"subject": "a\\u0000b"}',
    422,
    'VALIDATION_FAILED',
    ['subject'],
  ],
  [
    'a lone surrogate in the subject',
    LONE_SURROGATE_JSON('subject', ''),
    422,
    'VALIDATION_FAILED',
    ['subject'],
  ],
  [
    'a lone surrogate in the description',
    LONE_SURROGATE_JSON('description', ', "subject": "x"'),
    422,
    'VALIDATION_FAILED',
    ['description'],
  ],
  [
    'everything wrong at once',
    '{"subject": 1, "priority": 2, "assigneeId": 3, "x": 4}',
    422,
    'VALIDATION_FAILED',
    ['assigneeId', 'priority', 'subject', 'x'],
  ],
];

let before: RowCounts;
beforeEach(async () => {
  before = await rowCounts();
});

describe('POST /api/v1/tickets: bad input', () => {
  // it.each fills %-slots with a case's values in order: %c takes the raw text and prints nothing
  it.each(CREATE_CASES)(
    'When the body is %s%c, then %i %s and nothing is written',
    async (_name, raw, status, code, fields) => {
      const { app } = buildApp();

      const res = await request(app)
        .post('/api/v1/tickets')
        .set('Content-Type', 'application/json')
        .send(raw);

      expectClientError(res, status, code);
      if (fields) expect(Object.keys(res.body.error.fields).sort()).toEqual(fields);
      else expect(res.body.error.fields).toBeUndefined();
      expect(await rowCounts()).toEqual(before);
    },
  );

  it.each([
    [
      'subject',
      { subject: 'a'.repeat(subjectMaxLength) },
      { subject: 'a'.repeat(subjectMaxLength + 1) },
    ],
    [
      'description',
      { subject: 'x', description: 'a'.repeat(descriptionMaxLength) },
      { subject: 'x', description: 'a'.repeat(descriptionMaxLength + 1) },
    ],
  ])(
    'When the %s is at its limit, then 201; one over, then 422 naming it',
    async (field, atLimit, overLimit) => {
      const { app } = buildApp();

      const over = await request(app).post('/api/v1/tickets').send(overLimit);
      expectClientError(over, 422, 'VALIDATION_FAILED');
      expect(over.body.error.fields).toEqual({ [field]: expect.stringContaining('at most') });
      expect(await rowCounts()).toEqual(before);

      const at = await request(app).post('/api/v1/tickets').send(atLimit);
      expect(at.status).toBe(201);
      expect(await rowCounts()).toMatchObject({ tickets: before.tickets + 1 });
    },
  );

  it.each(ROUND_TRIP_TEXT)(
    'When the subject holds %s, then it is stored and returned byte-identical',
    async (_name, text) => {
      const { app } = buildApp();

      const created = await request(app)
        .post('/api/v1/tickets')
        .send({ subject: text, description: text });
      const read = await request(app).get(`/api/v1/tickets/${created.body.data.id}`);

      expect(created.status).toBe(201);
      expect(Buffer.from(read.body.data.subject)).toEqual(Buffer.from(text));
      expect(Buffer.from(read.body.data.description)).toEqual(Buffer.from(text));
    },
  );
});

describe('PATCH /api/v1/tickets/:id: bad input', () => {
  it.each<Case>([
    ['malformed JSON', '{', 400, 'MALFORMED_JSON'],
    ['an array', '[]', 400, 'INVALID_BODY'],
    ['null', 'null', 400, 'INVALID_BODY'],
    ['an empty object', '{}', 422, 'VALIDATION_FAILED'],
    ['an unknown status', '{"status": "done"}', 422, 'VALIDATION_FAILED', ['status']],
    [
      'a read-only field',
      '{"createdBy": "0b000000-0000-4000-8000-000000000001"}',
      422,
      'VALIDATION_FAILED',
      ['createdBy'],
    ],
    [
      'a __proto__ key',
      '{"__proto__": {"status": "closed"}}',
      422,
      'VALIDATION_FAILED',
      ['__proto__'],
    ],
    [
      'an overlong subject',
      JSON.stringify({ subject: 'a'.repeat(subjectMaxLength + 1) }),
      422,
      'VALIDATION_FAILED',
      ['subject'],
    ],
    ['a lone surrogate', LONE_SURROGATE_JSON('subject', ''), 422, 'VALIDATION_FAILED', ['subject']],
  ])(
    'When the body is %s%c, then %i %s and the ticket is unchanged',
    async (_name, raw, status, code, fields) => {
      const { app } = buildApp();
      const ticket = await createTicket(app, { subject: 'Unchanged' });
      const counts = await rowCounts();

      const res = await request(app)
        .patch(`/api/v1/tickets/${ticket.id}`)
        .set('Content-Type', 'application/json')
        .send(raw);

      expectClientError(res, status, code);
      if (fields) expect(Object.keys(res.body.error.fields)).toEqual(fields);
      expect((await request(app).get(`/api/v1/tickets/${ticket.id}`)).body.data).toEqual(ticket);
      expect(await rowCounts()).toEqual(counts);
    },
  );
});

describe('/api/v1/tickets/:id: ids', () => {
  it.each([
    ['not a uuid', 'abc'],
    ['a uuid with a character too many', `${UNKNOWN_ID}0`],
    ['SQL', "1' OR '1'='1"],
    ['a number', '42'],
  ])('When the id is %s, then 400 INVALID_ID on every method', async (_name, id) => {
    const { app } = buildApp();
    const path = `/api/v1/tickets/${encodeURIComponent(id)}`;

    for (const res of [
      await request(app).get(path),
      await request(app).patch(path).send({ status: 'closed' }),
      await request(app).delete(path),
      await request(app).post(`${path}/resolve`),
      await request(app).get(`${path}/comments`),
    ]) {
      expectClientError(res, 400, 'INVALID_ID');
    }
    expect(await rowCounts()).toEqual(before);
  });
});

describe('GET /api/v1/tickets: query abuse', () => {
  it.each([
    ['page=-1', 'page'],
    ['page=0', 'page'],
    ['page=1.5', 'page'],
    ['page=1e3', 'page'],
    // what Number() accepts and a page number must not: z.coerce.number() would let them through
    ['page=1e1', 'page'],
    ['page=0x10', 'page'],
    ['page=%201', 'page'],
    ['page=99999999999999999999', 'page'],
    ['page=1&page=2', 'page'],
    ['page=', 'page'],
    ['pageSize=101', 'pageSize'],
    ['pageSize=-5', 'pageSize'],
    ['pageSize[]=1', 'pageSize[]'],
    ['page=501&pageSize=20', 'page'],
    ['after=garbage', 'after'],
    ['after=%00%01', 'after'],
    [`after=${Buffer.from('["yesterday","x"]').toString('base64url')}`, 'after'],
    ['after=a&after=b', 'after'],
    ['status=open&status=closed', 'status'],
    ['q=%00', 'q'],
    [`q=${'a'.repeat(subjectMaxLength + 1)}`, 'q'],
    ['include=everything', 'include'],
    ['__proto__=1', '__proto__'],
    ['constructor=1', 'constructor'],
  ])('When the query is ?%s, then 400 INVALID_QUERY naming %s', async (query, field) => {
    const { app } = buildApp();

    const res = await request(app).get(`/api/v1/tickets?${query}`);

    expectClientError(res, 400, 'INVALID_QUERY');
    expect(Object.keys(res.body.error.fields)).toEqual([field]);
  });
});
