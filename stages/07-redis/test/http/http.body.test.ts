import { request as httpRequest } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { TICKET_LIMITS } from '@backend-path/shared/domain/tickets';
import type { Express } from 'express';
import { describe, expect, it } from 'vitest';
import {
  allTickets,
  authAs,
  BODY_LIMIT_BYTES,
  buildApp,
  CALLER,
  createTicket,
  request,
} from '../support/helpers.ts';

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

/**
 * POSTs over a real socket, writing `pieces` as they are. `end: false` never finishes the body:
 * only a server that answers without waiting for it can resolve this.
 */
async function postRaw(
  app: Express,
  options: { pieces: string[]; headers?: Record<string, string>; end?: boolean },
): Promise<{ status: number; connection: string | undefined }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise((resolve, reject) => {
      const headers = {
        'Content-Type': 'application/json',
        ...authAs(CALLER),
        ...options.headers,
      };
      const req = httpRequest({
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: '/api/v1/tickets',
        headers,
      });
      req.on('response', (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
        req.destroy();
      });
      req.on('error', reject);
      for (const piece of options.pieces) req.write(piece);
      if (options.end !== false) req.end();
    });
  } finally {
    server.closeAllConnections();
    server.close();
  }
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
    expect(await allTickets(deps.tickets)).toEqual([]);
  });

  it('When a chunked body (no Content-Length) grows past the limit, then 413 and nothing is created', async () => {
    const { app, deps } = buildApp();
    const body = bodyOfSize(BODY_LIMIT_BYTES + 1);

    // No Content-Length header: Node sends the pieces chunked.
    const res = await postRaw(app, { pieces: [body.slice(0, 8000), body.slice(8000)] });

    expect(res.status).toBe(413);
    expect(await allTickets(deps.tickets)).toEqual([]);
  });

  it('When Content-Length announces more than the limit, then 413 at once, without waiting for the body', async () => {
    const { app, deps } = buildApp();

    const res = await postRaw(app, {
      headers: { 'Content-Length': String(100 * BODY_LIMIT_BYTES) },
      pieces: ['{"subject":"'],
      end: false, // the rest never comes: a server that waited for it would never answer
    });

    expect(res.status).toBe(413);
    expect(res.connection).toBe('close');
    expect(await allTickets(deps.tickets)).toEqual([]);
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
    ['JSON in a charset that is not UTF-8', 'application/json; charset=iso-8859-1'],
  ])('When the Content-Type is %s, then 415 UNSUPPORTED_MEDIA_TYPE', async (_case, type) => {
    const { app, deps } = buildApp();

    const res = await request(app)
      .post('/api/v1/tickets')
      .set('Content-Type', type)
      .send('{"subject":"Looks like JSON"}');

    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await allTickets(deps.tickets)).toEqual([]);
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
      expect(await allTickets(deps.tickets)).toEqual([]);
    },
  );

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
      expect(await allTickets(deps.tickets)).toEqual([]);
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
    expect(await deps.tickets.findById(ticket.id)).toEqual(ticket);
  });

  it('When the Content-Type is text/plain, then 415 and the ticket is unchanged', async () => {
    const { app, deps } = buildApp();
    const ticket = await createTicket(app);

    const res = await request(app)
      .patch(`/api/v1/tickets/${ticket.id}`)
      .set('Content-Type', 'text/plain')
      .send('{"priority":"high"}');

    expect(res.status).toBe(415);
    expect(await deps.tickets.findById(ticket.id)).toEqual(ticket);
  });
});

// What a frontend's fetch wrapper that always sets Content-Type: application/json sends.
describe('An empty body with Content-Type: application/json', () => {
  it('When sent to resolve (a route that takes no body), then it is no body: 200, the ticket resolved', async () => {
    const { app, deps } = buildApp();
    const ticket = await createTicket(app);

    const res = await request(app)
      .post(`/api/v1/tickets/${ticket.id}/resolve`)
      .set('Content-Type', 'application/json')
      .send('');

    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('resolved');
    expect((await deps.tickets.findById(ticket.id))?.status).toBe('resolved');
  });

  it('When sent to create, then the answer is exactly that for no body at all, and nothing is stored', async () => {
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
    expect(await allTickets(deps.tickets)).toEqual([]);
  });

  it('When sent to PATCH, then the answer is exactly that for no body at all, the ticket unchanged', async () => {
    const { app, deps } = buildApp();
    const ticket = await createTicket(app);

    const empty = await request(app)
      .patch(`/api/v1/tickets/${ticket.id}`)
      .set('Content-Type', 'application/json')
      .send('');
    const missing = await request(app).patch(`/api/v1/tickets/${ticket.id}`);

    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('INVALID_BODY');
    expect(missing.body).toEqual(empty.body);
    expect(await deps.tickets.findById(ticket.id)).toEqual(ticket);
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
      expect(await deps.tickets.findById(res.body.data.id)).toMatchObject(ticket);
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
    expect((await allTickets(deps.tickets)).map((t) => t.id)).toEqual([atLimit.body.data.id]);
  });
});

describe('POST /api/v1/tickets: a client that leaves mid-body', () => {
  it('When the client closes the connection before its body is complete, then nothing is logged as a failure and the server keeps serving', async () => {
    const { app, deps } = buildApp();
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // A body announced as 100 bytes, 12 sent, then the connection closed: an upload the
      // client gave up on. The body parser fails with 'request.aborted'.
      const headers = Object.entries({ 'Content-Type': 'application/json', ...authAs(CALLER) });
      const socket = connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST /api/v1/tickets HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n${headers
          .map(([name, value]) => `${name}: ${value}\r\n`)
          .join('')}\r\n{"subject":`,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 200));

      expect(deps.logs.errors()).toEqual([]);
      expect(await allTickets(deps.tickets)).toEqual([]);
      await request(app).get('/api/v1/health').expect(200);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
