import { COMMENT_LIMITS } from '@backend-path/shared/domain/comments';
import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { buildUser } from '@backend-path/shared/testing/factories';
import express from 'express';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { countRows, insertPastTicket, testPool } from '../support/db-helpers.ts';
import {
  authAs,
  BODY_LIMIT_BYTES,
  buildApp,
  CALLER,
  createTicket,
  credentialsFinding,
  JSON_UTF8,
  request,
} from '../support/helpers.ts';

const MISSING = '00000000-0000-4000-8000-000000000000';

async function storedComments(ticketId: string) {
  const { rows } = await testPool().query(
    'SELECT author_id, body FROM comments WHERE ticket_id = $1 ORDER BY created_at, id',
    [ticketId],
  );
  return rows;
}

describe('POST /api/v1/tickets/:id/comments', () => {
  it('When the ticket exists, then 201 with the comment, a Location that resolves to it, and the row stored', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);

    const res = await request(app)
      .post(`/api/v1/tickets/${ticket.id}/comments`)
      .send({ body: 'Have you tried turning it off and on again?' });

    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
    expect(res.body.data).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ticketId: ticket.id,
      authorId: CALLER.id,
      body: 'Have you tried turning it off and on again?',
      createdAt: expect.any(String),
    });
    expect(res.headers.location).toBe(`/api/v1/tickets/${ticket.id}/comments/${res.body.data.id}`);
    const followed = await request(app).get(res.headers.location as string);
    expect(followed.body).toEqual({ data: res.body.data });
    expect(await storedComments(ticket.id)).toEqual([
      { author_id: CALLER.id, body: 'Have you tried turning it off and on again?' },
    ]);
  });

  it('When the API is mounted under another path, then the Location names that path', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);
    const outer = express().use('/edge', app);

    const res = await request(outer)
      .post(`/edge/api/v1/tickets/${ticket.id}/comments`)
      .send({ body: 'Mounted' });

    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(
      `/edge/api/v1/tickets/${ticket.id}/comments/${res.body.data.id}`,
    );
    expect((await request(outer).get(res.headers.location as string)).status).toBe(200);
  });

  it('When the ticket does not exist, then 404 NOT_FOUND, nothing stored', async () => {
    const { app, deps } = buildApp();

    const res = await request(app).post(`/api/v1/tickets/${MISSING}/comments`).send({ body: 'Hi' });

    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: { code: 'NOT_FOUND', message: `Ticket ${MISSING} does not exist.` },
    });
    expect(res.text).not.toMatch(/comments_ticket_id_fkey|violates|insert/i);
    expect(deps.logs.errors()).toEqual([]);
    expect(await countRows('comments')).toBe(0);
  });

  it('When the caller no longer exists as a user, then the foreign key answers: 422 naming authorId', async () => {
    // Found when the request started, deleted before the INSERT: the lookup passes, the FK does not.
    const ghost = buildUser({ role: 'agent' });
    const { app } = buildApp({ credentials: credentialsFinding(ghost) });
    const ticket = await insertPastTicket(1);

    const res = await supertest(app)
      .post(`/api/v1/tickets/${ticket.id}/comments`)
      .set(authAs(ghost))
      .send({ body: 'Boo' });

    expect(res.status).toBe(422);
    expect(res.body.error).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'A referenced resource does not exist.',
      fields: { authorId: 'does not exist' },
    });
    expect(await countRows('comments')).toBe(0);
  });

  it.each([
    ['missing', 'body', {}],
    ['blank', 'body', { body: '   ' }],
    ['not a string', 'body', { body: 42 }],
    ['too long', 'body', { body: 'x'.repeat(COMMENT_LIMITS.bodyMaxLength + 1) }],
    ['sent with an unknown field', 'authorId', { body: 'Fine', authorId: FIXTURE_USERS.bob.id }],
    ['containing U+0000', 'body', { body: 'Fine\u0000' }],
    // JSON.parse makes each an own key, as the server's parser does: none may slip through.
    ['sent with __proto__', '__proto__', JSON.parse('{"__proto__": "x", "body": "Fine"}')],
    ['sent with constructor', 'constructor', JSON.parse('{"constructor": "x", "body": "Fine"}')],
    ['sent with prototype', 'prototype', JSON.parse('{"prototype": "x", "body": "Fine"}')],
  ])(
    'When the body is %s, then 422 VALIDATION_FAILED naming %s and nothing stored',
    async (_case, field, body) => {
      const { app } = buildApp();
      const ticket = await createTicket(app);

      const res = await request(app).post(`/api/v1/tickets/${ticket.id}/comments`).send(body);

      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.fields).toEqual({ [field]: expect.any(String) });
      expect(await countRows('comments')).toBe(0);
    },
  );

  // The largest body the API accepts: 10,000 characters, each one JSON's 6-byte `\u0001` escape.
  it('When the largest valid comment is sent in worst-case characters, then 201, stored intact; one byte more, 413', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);
    const path = `/api/v1/tickets/${ticket.id}/comments`;
    const largest = JSON.stringify({ body: '\u0001'.repeat(COMMENT_LIMITS.bodyMaxLength) });

    const fits = await request(app)
      .post(path)
      .set('Content-Type', 'application/json')
      .send(largest);
    const tooBig = await request(app)
      .post(path)
      .set('Content-Type', 'application/json')
      .send(`${largest} `);

    expect(Buffer.byteLength(largest)).toBe(BODY_LIMIT_BYTES);
    expect(fits.status).toBe(201);
    expect(tooBig.status).toBe(413);
    expect(await storedComments(ticket.id)).toEqual([
      { author_id: CALLER.id, body: JSON.parse(largest).body },
    ]);
  });

  it('When the JSON is not an object, then 400 INVALID_BODY; when it is not JSON, then 415', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);
    const path = `/api/v1/tickets/${ticket.id}/comments`;

    const array = await request(app).post(path).send(['Hi']);
    const text = await request(app).post(path).set('Content-Type', 'text/plain').send('Hi');

    expect(array.status).toBe(400);
    expect(array.body.error.code).toBe('INVALID_BODY');
    expect(text.status).toBe(415);
    expect(await countRows('comments')).toBe(0);
  });
});

describe('GET /api/v1/tickets/:id/comments', () => {
  it('When the ticket has comments, then 200 with only its own, oldest first', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);
    const other = await createTicket(app);
    for (const body of ['First', 'Second']) {
      await request(app).post(`/api/v1/tickets/${ticket.id}/comments`).send({ body }).expect(201);
    }
    await request(app).post(`/api/v1/tickets/${other.id}/comments`).send({ body: 'Elsewhere' });

    const res = await request(app).get(`/api/v1/tickets/${ticket.id}/comments`);

    expect(res.status).toBe(200);
    expect(res.body.data.map((c: { body: string }) => c.body)).toEqual(['First', 'Second']);
  });

  it('When the ticket has no comments, then 200 with an empty list', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);

    const res = await request(app).get(`/api/v1/tickets/${ticket.id}/comments`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: [],
      meta: {
        page: 1,
        pageSize: 20,
        total: 0,
        totalExact: true,
        totalPages: 0,
        hasMore: false,
      },
    });
  });

  it('When a page is asked for, then that slice, oldest first, with meta counting all of them', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);
    for (const body of ['1', '2', '3', '4', '5']) {
      await request(app).post(`/api/v1/tickets/${ticket.id}/comments`).send({ body }).expect(201);
    }

    const res = await request(app).get(`/api/v1/tickets/${ticket.id}/comments?page=2&pageSize=2`);

    expect(res.status).toBe(200);
    expect(res.body.data.map((c: { body: string }) => c.body)).toEqual(['3', '4']);
    expect(res.body.meta).toEqual({
      page: 2,
      pageSize: 2,
      total: 5,
      totalExact: true,
      totalPages: 3,
      hasMore: true,
    });
  });

  it.each([
    ['pageSize over the maximum', 'pageSize=101', 'pageSize'],
    ['page 0', 'page=0', 'page'],
    ['page past the depth cap', 'page=10001&pageSize=1', 'page'],
    ['an unknown parameter', 'limit=5', 'limit'],
  ])('When the query has %s, then 400 INVALID_QUERY naming it', async (_case, query, field) => {
    const { app } = buildApp();
    const ticket = await createTicket(app);

    const res = await request(app).get(`/api/v1/tickets/${ticket.id}/comments?${query}`);

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_QUERY');
    expect(Object.keys(res.body.error.fields)).toEqual([field]);
  });

  it('When the ticket does not exist, then 404 NOT_FOUND, not an empty list', async () => {
    const { app } = buildApp();

    const res = await request(app).get(`/api/v1/tickets/${MISSING}/comments`);

    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('When PUT is sent, then 405 with Allow: GET, HEAD, POST, OPTIONS', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);

    const res = await request(app).put(`/api/v1/tickets/${ticket.id}/comments`);

    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
  });

  it('When there is no access token, then 401 UNAUTHENTICATED', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);

    const res = await supertest(app).get(`/api/v1/tickets/${ticket.id}/comments`);

    expect(res.status).toBe(401);
  });
});

describe('GET /api/v1/tickets/:id/comments/:commentId', () => {
  it("When the comment belongs to another ticket, then 404: the URL's ticket must own it", async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);
    const other = await createTicket(app);
    const posted = await request(app)
      .post(`/api/v1/tickets/${other.id}/comments`)
      .send({ body: 'Not yours' });

    const res = await request(app).get(
      `/api/v1/tickets/${ticket.id}/comments/${posted.body.data.id}`,
    );

    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});
