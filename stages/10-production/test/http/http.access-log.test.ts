import { buildCreateTicketInput } from '@backend-path/shared/testing/factories';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { buildApp, request } from '../support/helpers.ts';

// ACCESS_LOG, the configuration's one flag, end to end: the string from the environment, parsed
// by z.stringbool(), decides whether the app registers its access log.
describe('ACCESS_LOG', () => {
  it('When ACCESS_LOG=false, then a request leaves no access-log line', async () => {
    const { app, deps } = buildApp({
      config: { accessLog: loadConfig({ ACCESS_LOG: 'false' }).accessLog },
    });

    const res = await supertest(app).get('/api/v1/health');

    expect(res.status).toBe(200);
    expect(deps.logs.events('http.request.completed')).toEqual([]);
  });

  it('When ACCESS_LOG=false, then what the request logs itself still carries its request id', async () => {
    const { app, deps } = buildApp({
      config: { accessLog: loadConfig({ ACCESS_LOG: 'false' }).accessLog },
    });

    const res = await request(app)
      .post('/api/v1/tickets')
      .set('X-Request-Id', 'trace-no-access-line')
      .send(buildCreateTicketInput());

    expect(res.status).toBe(201);
    expect(deps.logs.lines().map((line) => [line.event, line.requestId])).toEqual([
      ['ticket.created', 'trace-no-access-line'],
    ]);
  });

  it('When ACCESS_LOG is not set, then every request logs one line with its status', async () => {
    const { app, deps } = buildApp({ config: { accessLog: loadConfig({}).accessLog } });

    await supertest(app).get('/api/v1/health');

    const lines = deps.logs.events('http.request.completed');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.msg).toBe('GET /api/v1/health 200');
  });
});
