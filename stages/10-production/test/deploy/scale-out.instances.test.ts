import { randomUUID } from 'node:crypto';
import { buildCreateTicketInput } from '@backend-path/shared/testing/factories';
import { afterAll, describe, expect, it } from 'vitest';
import { countRows, isPglite } from '../support/db-helpers.ts';
import { buildAppOnPool, request } from '../support/helpers.ts';

// Two instances of the API, as the load balancer sees them: each its own app and its own pool,
// one database between them. Nothing is shared in memory, so whatever holds must hold in SQL.
const one = buildAppOnPool({ max: 5 });
const two = buildAppOnPool({ max: 5 });
afterAll(() => Promise.all([one.close(), two.close()]));
const [a, b] = [one.app, two.app];

describe('Two instances on one database', () => {
  it('When requests alternate between the instances, then each sees what the other wrote', async () => {
    const created = await request(a).post('/api/v1/tickets').send(buildCreateTicketInput());
    const read = await request(b).get(created.headers.location as string);

    expect(created.status).toBe(201);
    expect(read.status).toBe(200);
    expect(read.body.data.id).toBe(created.body.data.id);
  });

  it('When retries with one Idempotency-Key alternate between the instances, then one ticket, and every retry is the replay', async () => {
    const key = randomUUID();
    const body = buildCreateTicketInput();

    const answers = [];
    for (const app of [a, b, a, b, b, a]) {
      answers.push(
        await request(app).post('/api/v1/tickets').set('Idempotency-Key', key).send(body),
      );
    }

    expect(await countRows('tickets')).toBe(1);
    expect(answers.map((res) => res.status)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(answers.map((res) => res.headers['idempotent-replayed'] ?? 'first')).toEqual([
      'first',
      'true',
      'true',
      'true',
      'true',
      'true',
    ]);
    for (const res of answers) expect(res.text).toBe(answers[0]?.text);
  });

  it('When 20 requests with one key hit both instances at once, then exactly one ticket', async (context) => {
    // PGlite serves every connection from one backend; with transactions open on several
    // connections at once it was seen answering the wrong connection (a 500, a 503).
    // The race needs a real server.
    if (await isPglite()) context.skip();
    const key = randomUUID();
    const body = buildCreateTicketInput();

    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(i % 2 === 0 ? a : b)
          .post('/api/v1/tickets')
          .set('Idempotency-Key', key)
          .send(body),
      ),
    );

    expect(await countRows('tickets')).toBe(1);
    const firsts = answers.filter(
      (res) => res.status === 201 && !res.headers['idempotent-replayed'],
    );
    expect(firsts).toHaveLength(1);
    for (const res of answers) expect([201, 409]).toContain(res.status);
  });
});
