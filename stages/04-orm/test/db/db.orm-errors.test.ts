import { describe, expect, it } from 'vitest';
import { describeDataError } from '../../src/db/orm-errors.ts';
import { closePool, createPool } from '../../src/db/pool.ts';
import { closePrismaClient, createPrismaClient } from '../../src/db/prisma.ts';
import { createTypeormDataSource } from '../../src/db/typeorm.ts';
import { testDatabaseUrl } from '../support/db-helpers.ts';

// The contract suite checks 409/422/404 for every data layer; these are the cases it cannot
// reach through a repository: Prisma's own "not found" and a database that is not there.
const UNREACHABLE = 'postgres://postgres@127.0.0.1:1/nowhere';
const UNAVAILABLE = {
  status: 503,
  code: 'SERVICE_UNAVAILABLE',
  message: 'The service is temporarily unavailable. Try again shortly.',
};

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('describeDataError', () => {
  it('When Prisma cannot find the record to update (P2025), then 404 NOT_FOUND', async () => {
    const pool = createPool(testDatabaseUrl(), { max: 1 });
    const prisma = createPrismaClient(pool);
    try {
      const error = await errorOf(
        prisma.ticket.update({ where: { id: '0c000000-0000-4000-8000-00000000dead' }, data: {} }),
      );

      expect(describeDataError(error)).toEqual({
        status: 404,
        code: 'NOT_FOUND',
        message: 'Not found.',
      });
    } finally {
      await closePrismaClient(prisma);
      await closePool(pool);
    }
  });

  it('When Prisma cannot reach the database, then 503 SERVICE_UNAVAILABLE', async () => {
    const pool = createPool(UNREACHABLE, { max: 1 });
    const prisma = createPrismaClient(pool);
    try {
      const error = await errorOf(prisma.ticket.count());

      expect(describeDataError(error)).toEqual(UNAVAILABLE);
    } finally {
      await closePrismaClient(prisma);
      await closePool(pool);
    }
  });

  it('When TypeORM cannot reach the database, then 503 SERVICE_UNAVAILABLE', async () => {
    const error = await errorOf(createTypeormDataSource(UNREACHABLE).initialize());

    expect(describeDataError(error)).toEqual(UNAVAILABLE);
  });

  it('When the error is not a database error, then null (a bug: 500)', () => {
    expect(describeDataError(new TypeError('x is undefined'))).toBeNull();
  });
});
