import { buildTicket } from '@backend-path/shared/testing/factories';
import express from 'express';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/errors.ts';
import { ErrorEnvelopeSchema } from '../../src/http/envelope.schemas.ts';
import { API_ROUTES } from '../../src/openapi/openapi.routes.ts';
import { watchAnswers } from '../support/contract.ts';
import { buildApp, createTicket, request } from '../support/helpers.ts';

// The contract check of test/support/setup.ts, proved: an app whose handlers drift from the
// document makes it fail. The drifting handlers live in a throwaway app on documented paths.
const answers = watchAnswers({
  routes: API_ROUTES,
  catalogue: ERROR_CATALOGUE,
  errorEnvelope: ErrorEnvelopeSchema,
});

function driftingApp(answer: (res: express.Response) => void) {
  const app = express();
  app.all('/{*path}', (_req, res) => answer(res));
  return app;
}

describe('The contract check on every JSON answer (test/support/setup.ts)', () => {
  it('When the real app answers as documented, then the check records nothing', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);
    await request(app).get(`/api/v1/tickets/${ticket.id}`).expect(200);
    await request(app).get('/api/v1/tickets?pageSize=oops').expect(400);

    expect(answers.take()).toEqual([]);
  });

  it('When a handler drops a documented field, then the check names the route, the status and the field', async () => {
    const { subject: _dropped, ...ticket } = buildTicket();
    const app = driftingApp((res) => res.status(200).json({ data: ticket }));

    await supertest(app).get(`/api/v1/tickets/${ticket.id}`).expect(200);

    expect(answers.take()).toEqual([
      expect.stringMatching(/^GET \/api\/v1\/tickets\/\S+ answered 200, .*data\.subject/),
    ]);
  });

  it('When a handler sends a field the document does not list, then the check fails it', async () => {
    const ticket = { ...buildTicket(), passwordHash: '$2b$12$leaked' };
    const app = driftingApp((res) => res.status(200).json({ data: ticket }));

    await supertest(app).get(`/api/v1/tickets/${ticket.id}`).expect(200);

    expect(answers.take()).toEqual([expect.stringContaining('fields the schema does not list')]);
  });

  it('When a route answers with a status it does not document, then the check fails it', async () => {
    const app = driftingApp((res) =>
      res.status(418).json({ error: { code: 'TEAPOT', message: 'no' } }),
    );

    await supertest(app).get('/api/v1/health').expect(418);

    expect(answers.take()).toEqual([
      expect.stringMatching(/^GET \/api\/v1\/health answered 418 TEAPOT, which is not documented/),
    ]);
  });

  it('When a route answers a documented status with a code not listed for it, then the check fails it', async () => {
    const conflict = { error: { code: 'CONFLICT', message: 'Already resolved.' } };
    const app = driftingApp((res) => res.status(409).json(conflict));

    // 409 CONFLICT is documented for resolve, not for reading a ticket.
    await supertest(app)
      .post('/api/v1/tickets/0d000000-0000-4000-8000-000000000001/resolve')
      .expect(409);
    await supertest(app).get('/api/v1/tickets/0d000000-0000-4000-8000-000000000001').expect(409);

    expect(answers.take()).toEqual([
      expect.stringMatching(/^GET \S+ answered 409 CONFLICT, which is not documented for it/),
    ]);
  });

  it('When an error answer is not the envelope, then the check fails it', async () => {
    const app = driftingApp((res) => res.status(404).json({ message: 'Not found' }));

    await supertest(app).get('/api/v1/tickets/0d000000-0000-4000-8000-000000000001').expect(404);

    expect(answers.take()).toEqual([expect.stringContaining('the body is not the error envelope')]);
  });
});
