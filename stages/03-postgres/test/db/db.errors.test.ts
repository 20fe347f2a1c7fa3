import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import type { TicketPriority } from '@backend-path/shared/domain/tickets';
import { FIXTURE_ACCOUNTS, FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { countQueries } from '@backend-path/shared/testing/query-counter';
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { describeDbError } from '../../src/db/pg-errors.ts';
import { closePool, createPool } from '../../src/db/pool.ts';
import { AppError } from '../../src/errors.ts';
import { isUuid } from '../../src/tickets/tickets.ids.ts';
import { createPgTicketRepository } from '../../src/tickets/tickets.repository.pg.ts';
import {
  BOB_ACTS,
  buildNewTicket,
  isPglite,
  testDatabaseUrl,
  useTestPool,
} from '../support/db-helpers.ts';

const pool = useTestPool();
const repo = createPgTicketRepository(pool);

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('describeDbError', () => {
  it('When a unique constraint is violated, then 409 CONFLICT names the field, not the SQL', async () => {
    const error = await errorOf(
      pool.query('INSERT INTO users (account_id, email, name, role) VALUES ($1, $2, $3, $4)', [
        FIXTURE_ACCOUNTS.acme.id,
        FIXTURE_USERS.alice.email,
        'Alice Again',
        'customer',
      ]),
    );

    const described = describeDbError(error);

    expect(described).toEqual({
      status: 409,
      code: 'CONFLICT',
      message: 'A resource with these values already exists.',
      fields: { email: 'is already taken' },
    });
    expect(JSON.stringify(described)).not.toMatch(/users|duplicate key|alice/i);
  });

  it('When a foreign key points nowhere, then the repository throws 422 VALIDATION_FAILED naming the field', async () => {
    const error = await errorOf(
      repo.create(buildNewTicket({ assigneeId: '0b000000-0000-4000-8000-00000000dead' }), 10),
    );

    // Translated where it arose: an AppError, with pg's own error kept only as its cause.
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).cause).toBeInstanceOf(pg.DatabaseError);
    expect(error).toMatchObject({
      status: 422,
      code: 'VALIDATION_FAILED',
      fields: { assigneeId: 'does not exist' },
    });
  });

  it('When a CHECK constraint rejects a value, then the repository throws 422 VALIDATION_FAILED naming the field', async () => {
    const error = await errorOf(
      repo.create(buildNewTicket({ priority: 'urgent' as TicketPriority }), 10),
    );

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      status: 422,
      code: 'VALIDATION_FAILED',
      fields: { priority: 'is not allowed' },
    });
  });

  it('When text is not a valid uuid, then 400 INVALID_ID', async () => {
    const error = await errorOf(pool.query('SELECT id FROM tickets WHERE id = $1', ['abc']));

    expect(describeDbError(error)).toMatchObject({ status: 400, code: 'INVALID_ID' });
  });

  it('When text holds U+0000 (22021) or an untranslatable character (22P05), then 422, not a 500', async () => {
    // Validation rejects U+0000 first; this is the second line of defence behind it.
    const nul = await errorOf(repo.create(buildNewTicket({ subject: 'a\u0000b' }), 10));
    const untranslatable = new pg.DatabaseError('character has no equivalent', 0, 'error');
    untranslatable.code = '22P05';

    expect(nul).toMatchObject({ status: 422, code: 'VALIDATION_FAILED' });
    expect((nul as AppError).cause).toMatchObject({ code: '22021' });
    expect(describeDbError(untranslatable)).toMatchObject({ status: 422 });
  });

  it('When a lock or statement timeout cancels a statement (55P03, 57014), then 503', async () => {
    for (const code of ['55P03', '57014']) {
      const timeout = new pg.DatabaseError('canceling statement', 0, 'error');
      timeout.code = code;

      expect(describeDbError(timeout), code).toMatchObject({
        status: 503,
        code: 'SERVICE_UNAVAILABLE',
      });
    }
  });

  it('When the error is a bug (SQL syntax) or not from the database, then null: a 500', async () => {
    const syntax = await errorOf(pool.query('SELEC 1'));

    expect(describeDbError(syntax)).toBeNull();
    expect(describeDbError(new TypeError('x is undefined'))).toBeNull();
    expect(describeDbError('a string')).toBeNull();
  });
});

describe('ids are checked before SQL', () => {
  it('When an id is not a canonical UUID, then isUuid rejects it', () => {
    expect(isUuid('0b000000-0000-4000-8000-000000000001')).toBe(true);
    expect(isUuid('0B000000-0000-4000-8000-00000000000A')).toBe(true);
    for (const bad of ['abc', '1', '', "1' OR '1'='1", '0b000000000040008000000000000001']) {
      expect(isUuid(bad)).toBe(false);
    }
  });

  it('When the repository gets a malformed id, then no query reaches the database', async () => {
    const counter = countQueries(pg.Client);
    try {
      expect(await repo.findById('abc')).toBeNull();
      expect(await repo.update('abc', { subject: 'x' }, BOB_ACTS)).toBeNull();
      expect(await repo.remove('abc', FIXTURE_USERS.bob.id)).toBe(false);
      expect(await repo.resolve('abc', FIXTURE_USERS.bob.id)).toBeNull();

      expect(counter.count).toBe(0);
    } finally {
      counter.stop();
    }
  });
});

describe('an unreachable database', () => {
  it('When nothing listens on the port, then the query fails fast and maps to 503', {
    timeout: 3500,
  }, async () => {
    const dead = createPool('postgres://postgres@127.0.0.1:1/nothing');
    try {
      const error = await errorOf(dead.query('SELECT 1'));

      expect(describeDbError(error)).toEqual({
        status: 503,
        code: 'SERVICE_UNAVAILABLE',
        message: 'The service is temporarily unavailable. Try again shortly.',
      });
    } finally {
      await closePool(dead);
    }
  });

  it('When the server accepts but never answers, then connectionTimeoutMillis ends the wait with a 503', {
    timeout: 3000,
  }, async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as { port: number };
    const hanging = createPool(`postgres://postgres@127.0.0.1:${port}/x`, {
      connectionTimeoutMillis: 300,
    });
    try {
      const error = await errorOf(hanging.query('SELECT 1'));

      expect(describeDbError(error)).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
      await closePool(hanging);
    }
  });
});

describe('createPool', () => {
  it('When the server kills an idle connection, then the pool reports it instead of crashing, and keeps serving', async (ctx) => {
    const reported: Error[] = [];
    const own = createPool(testDatabaseUrl(), { max: 1, onIdleError: (e) => reported.push(e) });
    try {
      const { rows } = await own.query('SELECT pg_backend_pid() AS pid, version() AS version');
      // PGlite has one backend behind every connection: terminating it would end the test database.
      if (/PGlite/.test(rows[0].version)) ctx.skip();

      await pool.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);

      // Without pool.on('error'), this event would be an uncaught exception: the process dies.
      await vi.waitFor(() => expect(reported).toHaveLength(1), { timeout: 5_000 });
      expect(await own.query('SELECT 1 AS ok').then((r) => r.rows)).toEqual([{ ok: 1 }]);
    } finally {
      await closePool(own);
    }
  });
});

describe('bounded waits', () => {
  it('When the pool opens a connection, then it carries statement_timeout and lock_timeout (config defaults 5 s and 2 s)', async (context) => {
    // PGlite ignores startup parameters (it shows 0 for both) and shares one session between all
    // connections; it also runs one transaction at a time, so no connection ever waits on a lock.
    if (await isPglite()) context.skip();
    const config = loadConfig({});
    const defaults = createPool(testDatabaseUrl(), {
      max: 1,
      statementTimeoutMillis: config.databaseStatementTimeoutMs,
      lockTimeoutMillis: config.databaseLockTimeoutMs,
    });
    const tight = createPool(testDatabaseUrl(), {
      max: 1,
      statementTimeoutMillis: 1500,
      lockTimeoutMillis: 250,
    });
    try {
      const show = async (db: typeof pool) =>
        (
          await db.query('SELECT current_setting($1) AS s, current_setting($2) AS l', [
            'statement_timeout',
            'lock_timeout',
          ])
        ).rows[0];

      expect(await show(defaults)).toEqual({ s: '5s', l: '2s' });
      expect(await show(tight)).toEqual({ s: '1500ms', l: '250ms' });
    } finally {
      await closePool(defaults);
      await closePool(tight);
    }
  });
});
