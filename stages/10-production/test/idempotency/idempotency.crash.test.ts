import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { buildCreateTicketInput } from '@backend-path/shared/testing/factories';
import { describe, expect, it } from 'vitest';
import {
  createPgIdempotencyStore,
  type IdempotencyStore,
  type StoredResponse,
} from '../../src/idempotency/idempotency.repository.pg.ts';
import { countRows, testPool } from '../support/db-helpers.ts';
import { authAs, buildApp, CALLER, createTicket, request } from '../support/helpers.ts';

// The crash window of an idempotent create: the process dies after the INSERT, before the
// answer is stored. Both orders are simulated on a store that fails or never returns at the
// exact point; the retry then goes to a healthy app (a restarted process, another replica).
const ticketBody = buildCreateTicketInput({ subject: 'Printer on fire' });
const realStore = () => createPgIdempotencyStore(testPool());

async function storedAnswers() {
  const { rows } = await testPool().query<{ response_status: number | null }>(
    'SELECT response_status FROM idempotency_keys',
  );
  return rows.map((row) => row.response_status);
}

describe('Idempotency-Key: the crash window between the write and its answer', () => {
  it('When storing the answer fails inside the creating transaction, then no ticket is left, and a retry creates exactly one', async () => {
    const crashing: IdempotencyStore = {
      ...realStore(),
      completeWithin: async () => {
        throw new Error('process died here');
      },
    };
    const dying = buildApp({ idempotency: crashing }).app;
    const key = randomUUID();

    const failed = await request(dying)
      .post('/api/v1/tickets')
      .set('Idempotency-Key', key)
      .send(ticketBody);
    const ticketsAfterCrash = await countRows('tickets');
    const retry = await request(buildApp().app)
      .post('/api/v1/tickets')
      .set('Idempotency-Key', key)
      .send(ticketBody);

    expect(failed.status).toBe(500);
    expect(ticketsAfterCrash).toBe(0);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await countRows('tickets')).toBe(1);
    expect(await storedAnswers()).toEqual([201]);
  });

  it('When the process dies after the COMMIT, before the answer is sent, then a retry replays the answer committed with the ticket: one ticket', async () => {
    // The answer after the COMMIT never gets stored, nor sent: the process is "dead" from here.
    const hanging: IdempotencyStore = { ...realStore(), complete: () => new Promise(() => {}) };
    const server = buildApp({ idempotency: hanging }).app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const key = randomUUID();
    const aborted = new AbortController();
    try {
      const lost = fetch(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/tickets`,
        {
          method: 'POST',
          headers: {
            ...authAs(CALLER),
            'Content-Type': 'application/json',
            'Idempotency-Key': key,
          },
          body: JSON.stringify(ticketBody),
          signal: aborted.signal,
        },
      ).catch(() => 'no answer');
      // Until the ticket is committed: then the first request is stuck in `complete`.
      while ((await countRows('tickets')) === 0) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const retry = await request(buildApp().app)
        .post('/api/v1/tickets')
        .set('Idempotency-Key', key)
        .send(ticketBody);
      aborted.abort();

      expect(await lost).toBe('no answer');
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      const { rows } = await testPool().query<{ id: string }>('SELECT id FROM tickets');
      expect(rows).toHaveLength(1);
      expect(retry.body.data.id).toBe(rows[0]?.id);
      expect(retry.headers.location).toBe(`/api/v1/tickets/${rows[0]?.id}`);
      expect(retry.body.data.subject).toBe('Printer on fire');
    } finally {
      aborted.abort();
      server.closeAllConnections();
      server.close();
    }
  });

  it('When a ticket and a comment are created with keys, then the answer stored in the transaction is byte for byte the one sent', async () => {
    const inTransaction: StoredResponse[] = [];
    const afterwards: StoredResponse[] = [];
    const real = realStore();
    const recording: IdempotencyStore = {
      ...real,
      completeWithin: (client, callerId, key, response) => {
        inTransaction.push(response);
        return real.completeWithin(client, callerId, key, response);
      },
      complete: (callerId, key, response) => {
        afterwards.push(response);
        return real.complete(callerId, key, response);
      },
    };
    const { app } = buildApp({ idempotency: recording });
    const ticket = await createTicket(app);

    const created = await request(app)
      .post('/api/v1/tickets')
      .set('Idempotency-Key', randomUUID())
      .send(ticketBody);
    const commented = await request(app)
      .post(`/api/v1/tickets/${ticket.id}/comments`)
      .set('Idempotency-Key', randomUUID())
      .send({ body: 'On it.' });

    expect(created.status).toBe(201);
    expect(commented.status).toBe(201);
    expect(inTransaction).toHaveLength(2);
    expect(inTransaction).toEqual(afterwards);
    expect(inTransaction.map((answer) => answer.body)).toEqual([created.text, commented.text]);
  });

  it('When a keyed request is refused (a 404, nothing written), then no transaction stores an answer, and the refusal is replayed', async () => {
    const inTransaction: StoredResponse[] = [];
    const real = realStore();
    const recording: IdempotencyStore = {
      ...real,
      completeWithin: (client, callerId, key, response) => {
        inTransaction.push(response);
        return real.completeWithin(client, callerId, key, response);
      },
    };
    const { app } = buildApp({ idempotency: recording });
    const missing = `/api/v1/tickets/${randomUUID()}/comments`;
    const key = randomUUID();

    const first = await request(app).post(missing).set('Idempotency-Key', key).send({ body: 'x' });
    const retry = await request(app).post(missing).set('Idempotency-Key', key).send({ body: 'x' });

    expect(first.status).toBe(404);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.text).toBe(first.text);
    expect(inTransaction).toEqual([]);
    expect(await countRows('comments')).toBe(0);
  });
});
