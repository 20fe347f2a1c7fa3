import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../support/helpers.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('X-Request-Id on every response', () => {
  it('When the client sends none, then a new UUID is echoed, and the access log names it', async () => {
    const { app, deps } = buildApp();

    const res = await request(app).get('/api/v1/health');

    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(deps.logs.lines()[0]?.msg).toContain(res.headers['x-request-id']);
  });

  it('When two requests arrive, then each gets its own id', async () => {
    const { app } = buildApp();

    const first = await request(app).get('/api/v1/health');
    const second = await request(app).get('/api/v1/health');

    expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
  });

  it.each(['edge-7f3a9c', 'req_01HZX.2:abc', 'x'.repeat(64)])(
    'When the client sends a safe id (%s), then that same id is echoed and logged',
    async (id) => {
      const { app, deps } = buildApp();

      const res = await request(app).get('/api/v1/health').set('X-Request-Id', id);

      expect(res.headers['x-request-id']).toBe(id);
      expect(deps.logs.lines()[0]?.msg).toMatch(new RegExp(`${id}$`));
    },
  );

  it.each([
    ['too long', 'x'.repeat(65)],
    ['with spaces', 'GET /admin 200'],
    ['with a slash', '../../etc/passwd'],
    ['empty', ''],
  ])(
    'When the client sends an unsafe id (%s), then it is replaced by a new UUID',
    async (_case, id) => {
      const { app } = buildApp();

      const res = await request(app).get('/api/v1/health').set('X-Request-Id', id);

      expect(res.headers['x-request-id']).toMatch(UUID);
    },
  );

  it('When the request fails (404), then the error response carries the id too', async () => {
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/nope').set('X-Request-Id', 'trace-404');

    expect(res.status).toBe(404);
    expect(res.headers['x-request-id']).toBe('trace-404');
  });
});
