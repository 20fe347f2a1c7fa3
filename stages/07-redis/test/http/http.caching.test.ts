import { createServer, type IncomingHttpHeaders, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { authAs, buildApp, CALLER, createTicket, request } from '../support/helpers.ts';

/** Serves `listener` on a free port for the length of `use`. */
async function withServer<T>(listener: RequestListener, use: (url: string) => Promise<T>) {
  const server = createServer(listener).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await use(`http://127.0.0.1:${port}`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

/** The headers Node's fetch really puts on the wire, recorded by a bare server. */
async function headersFetchSends(headers: Record<string, string>): Promise<IncomingHttpHeaders> {
  let seen: IncomingHttpHeaders = {};
  await withServer(
    (req, res) => {
      seen = req.headers;
      res.end();
    },
    async (url) => void (await fetch(url, { headers })).text(),
  );
  return seen;
}

describe('GET /api/v1/tickets/:id: ETag and conditional requests', () => {
  it('When a ticket is fetched, then it has a strong ETag and Cache-Control: private, no-cache', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);

    const res = await request(app).get(`/api/v1/tickets/${ticket.id}`);

    expect(res.status).toBe(200);
    expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/); // strong: no W/ prefix
    expect(res.headers['cache-control']).toBe('private, no-cache');
  });

  it('When the ticket has not changed, then fetching twice gives the same ETag', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);

    const first = await request(app).get(`/api/v1/tickets/${ticket.id}`);
    const second = await request(app).get(`/api/v1/tickets/${ticket.id}`);

    expect(second.headers.etag).toBe(first.headers.etag);
  });

  it('When If-None-Match matches, then 304 with the ETag and an empty body', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);
    const { headers } = await request(app).get(`/api/v1/tickets/${ticket.id}`);

    const res = await request(app)
      .get(`/api/v1/tickets/${ticket.id}`)
      .set('If-None-Match', headers.etag as string);

    expect(res.status).toBe(304);
    expect(res.text).toBe('');
    expect(res.headers.etag).toBe(headers.etag);
    expect(res.headers['cache-control']).toBe('private, no-cache');
  });

  it("When Node's fetch revalidates (it adds Cache-Control: no-cache), then still 304: the server evaluates If-None-Match", async () => {
    const sent = await headersFetchSends({ 'If-None-Match': '"any"' });
    expect(sent['cache-control']).toBe('no-cache'); // what a real client sends, not an assumption
    const { app } = buildApp();
    const ticket = await createTicket(app);
    const caller = authAs(CALLER);

    const { first, res } = await withServer(app, async (url) => {
      const first = await fetch(`${url}/api/v1/tickets/${ticket.id}`, { headers: caller });
      const etag = first.headers.get('etag') ?? '';
      await first.text();
      const res = await fetch(`${url}/api/v1/tickets/${ticket.id}`, {
        headers: { ...caller, 'If-None-Match': etag },
      });
      return {
        first,
        res: { status: res.status, etag: res.headers.get('etag'), text: await res.text() },
      };
    });

    expect(first.status).toBe(200);
    expect(res).toEqual({ status: 304, etag: first.headers.get('etag'), text: '' });
  });

  it('When If-None-Match lists several tags (or a weak one) including ours, then 304', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);
    const { headers } = await request(app).get(`/api/v1/tickets/${ticket.id}`);

    const res = await request(app)
      .get(`/api/v1/tickets/${ticket.id}`)
      .set('If-None-Match', `"something-else", W/${headers.etag}`);

    expect(res.status).toBe(304);
  });

  it('When the ticket changed since, then the old ETag is stale: 200 with the new body and ETag', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app, { priority: 'low' });
    const { headers } = await request(app).get(`/api/v1/tickets/${ticket.id}`);
    await request(app).patch(`/api/v1/tickets/${ticket.id}`).send({ priority: 'high' }).expect(200);

    const res = await request(app)
      .get(`/api/v1/tickets/${ticket.id}`)
      .set('If-None-Match', headers.etag as string);

    expect(res.status).toBe(200);
    expect(res.body.data.priority).toBe('high');
    expect(res.headers.etag).not.toBe(headers.etag);
  });

  it('When If-None-Match names another tag, then 200 with the body', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);

    const res = await request(app)
      .get(`/api/v1/tickets/${ticket.id}`)
      .set('If-None-Match', '"not-this-one"');

    expect(res.status).toBe(200);
    expect(res.body.data.id).toBe(ticket.id);
  });
});

describe('GET /api/v1/tickets and writes: never cached', () => {
  it('When the list is fetched, then Cache-Control: no-store and no ETag', async () => {
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/tickets');

    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.etag).toBeUndefined();
  });

  it('When a ticket is created or updated, then the response says Cache-Control: no-store', async () => {
    const { app } = buildApp();

    const created = await request(app).post('/api/v1/tickets').send({ subject: 'Cache me not' });
    const updated = await request(app)
      .patch(`/api/v1/tickets/${created.body.data.id}`)
      .send({ priority: 'high' });

    expect(created.headers['cache-control']).toBe('no-store');
    expect(updated.headers['cache-control']).toBe('no-store');
  });
});
