import { COMMENT_LIMITS } from '@backend-path/shared/domain/comments';
import { describe, expect, it } from 'vitest';
import { buildApp, createTicket, request } from '../support/helpers.ts';
import {
  expectClientError,
  LONE_SURROGATE_JSON,
  ROUND_TRIP_TEXT,
  rowCounts,
} from './validation.helpers.ts';

const { bodyMaxLength } = COMMENT_LIMITS;

describe('POST /api/v1/tickets/:id/comments: bad input', () => {
  // it.each fills %-slots with a case's values in order: %c takes the raw text and prints nothing
  it.each<[string, string, number, string, string[]?]>([
    ['malformed JSON', '{"body": ', 400, 'MALFORMED_JSON'],
    ['a number', '7', 400, 'INVALID_BODY'],
    ['null', 'null', 400, 'INVALID_BODY'],
    ['an array', '["hello"]', 400, 'INVALID_BODY'],
    ['an empty object', '{}', 422, 'VALIDATION_FAILED', ['body']],
    [
      'an extra field',
      '{"body": "hi", "authorId": "0b000000-0000-4000-8000-000000000001"}',
      422,
      'VALIDATION_FAILED',
      ['authorId'],
    ],
    ['a __proto__ key', '{"body": "hi", "__proto__": {}}', 422, 'VALIDATION_FAILED', ['__proto__']],
    [
      'a constructor key',
      '{"body": "hi", "constructor": 1}',
      422,
      'VALIDATION_FAILED',
      ['constructor'],
    ],
    ['a prototype key', '{"body": "hi", "prototype": 1}', 422, 'VALIDATION_FAILED', ['prototype']],
    ['a number as body', '{"body": 5}', 422, 'VALIDATION_FAILED', ['body']],
    ['a blank body', '{"body": " \\n "}', 422, 'VALIDATION_FAILED', ['body']],
    ['U+0000', '{"body": "a\\u0000"}', 422, 'VALIDATION_FAILED', ['body']],
    ['a lone surrogate', LONE_SURROGATE_JSON('body', ''), 422, 'VALIDATION_FAILED', ['body']],
  ])(
    'When the body is %s%c, then %i %s and nothing is written',
    async (_name, raw, status, code, fields) => {
      const { app } = buildApp();
      const ticket = await createTicket(app);
      const before = await rowCounts();

      const res = await request(app)
        .post(`/api/v1/tickets/${ticket.id}/comments`)
        .set('Content-Type', 'application/json')
        .send(raw);

      expectClientError(res, status, code);
      if (fields) expect(Object.keys(res.body.error.fields)).toEqual(fields);
      expect(await rowCounts()).toEqual(before);
    },
  );

  it('When the body is at its limit, then 201; one over, then 422 naming it', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);
    const before = await rowCounts();
    const path = `/api/v1/tickets/${ticket.id}/comments`;

    const over = await request(app)
      .post(path)
      .send({ body: 'a'.repeat(bodyMaxLength + 1) });
    expectClientError(over, 422, 'VALIDATION_FAILED');
    expect(over.body.error.fields).toEqual({
      body: `Body must be at most ${bodyMaxLength} characters.`,
    });
    expect(await rowCounts()).toEqual(before);

    const at = await request(app)
      .post(path)
      .send({ body: 'a'.repeat(bodyMaxLength) });
    expect(at.status).toBe(201);
    expect(await rowCounts()).toMatchObject({ comments: before.comments + 1 });
  });

  it.each(ROUND_TRIP_TEXT)(
    'When the body holds %s, then it comes back byte-identical',
    async (_name, text) => {
      const { app } = buildApp();
      const ticket = await createTicket(app);

      const created = await request(app)
        .post(`/api/v1/tickets/${ticket.id}/comments`)
        .send({ body: text });
      const read = await request(app).get(
        `/api/v1/tickets/${ticket.id}/comments/${created.body.data.id}`,
      );

      expect(created.status).toBe(201);
      expect(Buffer.from(read.body.data.body)).toEqual(Buffer.from(text));
    },
  );
});

describe('/api/v1/tickets/:id/comments/:commentId: ids', () => {
  it.each([
    ['the ticket id', 'nope', '0c000000-0000-4000-8000-000000000001'],
    ['the comment id', '0d000000-0000-4000-8000-000000000001', 'nope'],
  ])('When %s is not a uuid, then 400 INVALID_ID', async (_name, id, commentId) => {
    const { app } = buildApp();

    const res = await request(app).get(`/api/v1/tickets/${id}/comments/${commentId}`);

    expectClientError(res, 400, 'INVALID_ID');
  });
});

describe('GET /api/v1/tickets/:id/comments: query abuse', () => {
  it.each([
    ['page=0', 'page'],
    ['page=-3', 'page'],
    ['page=2.5', 'page'],
    ['page=1&page=2', 'page'],
    ['pageSize=1000', 'pageSize'],
    ['pageSize=abc', 'pageSize'],
    ['page=101&pageSize=100', 'page'],
    ['after=x', 'after'],
    ['__proto__=x', '__proto__'],
  ])('When the query is ?%s, then 400 INVALID_QUERY naming %s', async (query, field) => {
    const { app } = buildApp();
    const ticket = await createTicket(app);

    const res = await request(app).get(`/api/v1/tickets/${ticket.id}/comments?${query}`);

    expectClientError(res, 400, 'INVALID_QUERY');
    expect(Object.keys(res.body.error.fields)).toEqual([field]);
  });
});
