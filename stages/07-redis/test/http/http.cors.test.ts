import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { ALLOWED_ORIGIN, buildApp, createTicket, request } from '../support/helpers.ts';

const FOREIGN_ORIGIN = 'https://evil.example';

function corsHeaderNames(headers: Record<string, string>): string[] {
  return Object.keys(headers).filter((name) => name.startsWith('access-control-'));
}

describe('CORS on GET /api/v1/tickets', () => {
  it('When the Origin is allowed, then it is named back, with Vary: Origin and exposed headers', async () => {
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/tickets').set('Origin', ALLOWED_ORIGIN);

    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(res.headers.vary).toBe('Origin');
    expect(res.headers['access-control-expose-headers']).toBe(
      'ETag, Location, WWW-Authenticate, X-Request-Id',
    );
  });

  it('When the Origin is not allowed, then no CORS header at all, but still Vary: Origin', async () => {
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/tickets').set('Origin', FOREIGN_ORIGIN);

    expect(res.status).toBe(200); // the server answers; the browser refuses to hand it over
    expect(corsHeaderNames(res.headers)).toEqual([]);
    expect(res.headers.vary).toBe('Origin');
  });

  it('When there is no Origin (curl, a server), then no CORS header and Vary: Origin', async () => {
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/tickets');

    expect(corsHeaderNames(res.headers)).toEqual([]);
    expect(res.headers.vary).toBe('Origin');
  });

  it('When an allowed origin gets an error, then the error carries CORS headers too', async () => {
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/nope').set('Origin', ALLOWED_ORIGIN);

    expect(res.status).toBe(404);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
  });

  it('When the body parser refuses the body, then that error carries CORS headers too', async () => {
    const { app } = buildApp();

    const res = await request(app)
      .post('/api/v1/tickets')
      .set('Origin', ALLOWED_ORIGIN)
      .set('Content-Type', 'application/json')
      .send('{');

    expect(res.status).toBe(400);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
  });
});

describe('OPTIONS /api/v1/tickets (preflight)', () => {
  it('When an allowed origin preflights, then 204 with the methods, headers and max age', async () => {
    const { app } = buildApp();

    // No Authorization: a browser never sends it on a preflight, it asks whether it may.
    const res = await supertest(app)
      .options('/api/v1/tickets')
      .set('Origin', ALLOWED_ORIGIN)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type, authorization');

    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(res.headers['access-control-allow-methods']).toBe('GET, POST, PATCH, DELETE');
    expect(res.headers['access-control-allow-headers']).toBe(
      'Authorization, Content-Type, If-None-Match, X-Request-Id',
    );
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(res.headers.vary).toBe('Origin');
    expect(res.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
  });

  it('When a foreign origin preflights, then 204 without any CORS header (the browser blocks)', async () => {
    const { app } = buildApp();

    const res = await request(app)
      .options('/api/v1/tickets')
      .set('Origin', FOREIGN_ORIGIN)
      .set('Access-Control-Request-Method', 'POST');

    expect(res.status).toBe(204);
    expect(corsHeaderNames(res.headers)).toEqual([]);
    expect(res.headers.vary).toBe('Origin');
  });

  it('When the origin differs only by scheme or port, then it is foreign', async () => {
    const { app } = buildApp();

    const res = await request(app)
      .options('/api/v1/tickets')
      .set('Origin', 'http://localhost:5174')
      .set('Access-Control-Request-Method', 'POST');

    expect(corsHeaderNames(res.headers)).toEqual([]);
  });
});

describe('OPTIONS /api/v1/tickets/:id (preflight)', () => {
  it('When an allowed origin preflights a PATCH, then the API’s methods are listed (the cors package has one list)', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);

    const res = await request(app)
      .options(`/api/v1/tickets/${ticket.id}`)
      .set('Origin', ALLOWED_ORIGIN)
      .set('Access-Control-Request-Method', 'PATCH');

    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-methods']).toBe('GET, POST, PATCH, DELETE');
    expect(res.headers.allow).toBe('GET, HEAD, PATCH, DELETE, OPTIONS'); // the path's own list
  });

  it('When the path does not exist, then 404 (there is nothing to preflight)', async () => {
    const { app } = buildApp();

    const res = await request(app)
      .options('/api/v1/nope')
      .set('Origin', ALLOWED_ORIGIN)
      .set('Access-Control-Request-Method', 'GET');

    expect(res.status).toBe(404);
  });
});
