import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countRows } from '../support/db-helpers.ts';
import { buildApp, createTicket, request } from '../support/helpers.ts';

// LESSON: a property test states "for EVERY body, the answer is never a 5xx" and lets
// fast-check search for a counterexample: any JSON value, and valid bodies with one field
// replaced by any JSON value (which reach deeper than random noise does). Bounded runs keep it
// a few seconds; a failure prints the seed and the shrunk body, so it replays exactly.
const RUNS = 40;

/** `valid` with some fields replaced by, or joined by, arbitrary JSON values. */
function nearly(valid: Record<string, unknown>) {
  const keys = [...Object.keys(valid), 'status', 'id', 'accountId', '__proto__', 'extra'];
  return fc
    .dictionary(fc.constantFrom(...keys), fc.jsonValue(), { maxKeys: 3 })
    .map((changes) => ({ ...valid, ...changes }));
}
function anyBody(valid: Record<string, unknown>) {
  return fc.oneof(fc.jsonValue(), nearly(valid), nearly(valid));
}

/** Sends `body` as the JSON text a client would; the answer's status and envelope. */
async function send(method: 'post' | 'patch', path: string, body: unknown, app = buildApp().app) {
  const res = await request(app)
    [method](path)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(body));
  expect(res.status, `${method.toUpperCase()} ${path} ${JSON.stringify(body)}`).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.body).toEqual({
      error: expect.objectContaining({
        code: expect.stringMatching(/^[A-Z_]+$/),
        message: expect.any(String),
      }),
    });
  }
  return res;
}

describe('No JSON body makes a write route answer 5xx (property, real app on PostgreSQL)', () => {
  it('When any JSON is POSTed as a ticket, then 201 with one more row, or a 4xx envelope and none', async () => {
    const { app } = buildApp();
    await fc.assert(
      fc.asyncProperty(
        anyBody({ subject: 'Printer on fire', description: 'x', priority: 'high' }),
        async (body) => {
          const before = await countRows('tickets');
          const res = await send('post', '/api/v1/tickets', body, app);
          expect(await countRows('tickets')).toBe(before + (res.status === 201 ? 1 : 0));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('When any JSON is PATCHed onto a ticket, then 200, or a 4xx envelope and the ticket unchanged', async () => {
    const { app, deps } = buildApp();
    const ticket = await createTicket(app);
    await fc.assert(
      fc.asyncProperty(
        anyBody({ subject: 'New subject', status: 'pending', assigneeId: FIXTURE_USERS.bob.id }),
        async (body) => {
          const before = await deps.tickets.findById(ticket.id);
          const res = await send('patch', `/api/v1/tickets/${ticket.id}`, body, app);
          if (res.status !== 200) expect(await deps.tickets.findById(ticket.id)).toEqual(before);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('When any JSON is POSTed as a comment, a user, a sign-up or a login, then never a 5xx', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);
    const routes: [string, Record<string, unknown>][] = [
      [`/api/v1/tickets/${ticket.id}/comments`, { body: 'Still broken' }],
      [
        '/api/v1/users',
        { email: 'new@acme.test', name: 'New', role: 'agent', password: 'long-enough-pw' },
      ],
      [
        '/api/v1/auth/register',
        { email: 'x@initech.test', name: 'X', accountName: 'Initech', password: 'long-enough-pw' },
      ],
      ['/api/v1/auth/login', { email: FIXTURE_USERS.bob.email, password: 'long-enough-pw' }],
    ];
    for (const [path, valid] of routes) {
      await fc.assert(
        fc.asyncProperty(anyBody(valid), async (body) => {
          await send('post', path, body, app);
        }),
        { numRuns: RUNS },
      );
    }
  });

  it('When the body is not JSON at all, then 400 in the envelope, never a 5xx', async () => {
    const { app } = buildApp();
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary' }), async (text) => {
        fc.pre(!isJson(text));
        const res = await request(app)
          .post('/api/v1/tickets')
          .set('Content-Type', 'application/json')
          .send(text);
        expect(res.status).toBeLessThan(500);
        expect(res.body.error).toBeDefined();
      }),
      { numRuns: RUNS },
    );
  });
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
