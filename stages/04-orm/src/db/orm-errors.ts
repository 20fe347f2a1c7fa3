import pg from 'pg';
import { describeDbError, type ErrorDescriptor } from './pg-errors.ts';

// LESSON: an ORM wraps the database's error in its own (TypeORM: QueryFailedError; Prisma:
// P2002 unique, P2003 foreign key, P2025 record not found…), but the facts the API needs are
// still PostgreSQL's: the SQLSTATE and the constraint name. We dig them out and hand them to
// the same describeDbError, so 409/422/404 do not depend on which data layer is running.
//
// The errors are recognised by name, not `instanceof`: importing Prisma's generated client and
// TypeORM here would load both into every server, even the default DATA_LAYER=pg one.

interface AdapterCause {
  originalCode?: string;
  code?: string;
  originalMessage?: string;
  message?: string;
  constraint?: { index?: string };
}
interface PrismaKnownError extends Error {
  code: string;
  meta?: { driverAdapterError?: { cause?: AdapterCause } };
}

function isPrismaKnownError(error: unknown): error is PrismaKnownError {
  return error instanceof Error && error.name === 'PrismaClientKnownRequestError';
}

function isTypeormQueryError(error: unknown): error is Error & { driverError: unknown } {
  return error instanceof Error && error.name === 'QueryFailedError' && 'driverError' in error;
}

/** PostgreSQL's own error, rebuilt from what @prisma/adapter-pg kept of it. */
function fromPrisma(error: PrismaKnownError): pg.DatabaseError | null {
  const cause = error.meta?.driverAdapterError?.cause;
  const code = cause?.originalCode ?? cause?.code;
  if (cause === undefined || code === undefined) return null;
  const message = cause.originalMessage ?? cause.message ?? error.message;
  const rebuilt = new pg.DatabaseError(message, 0, 'error');
  rebuilt.code = code;
  // Unique and foreign-key violations carry the constraint's name; a CHECK violation only
  // names it in the message ('… violates check constraint "tickets_subject_length"').
  rebuilt.constraint = cause.constraint?.index ?? /constraint "([^"]+)"/.exec(message)?.[1];
  return rebuilt;
}

/** The database error inside an ORM error (or the error itself when there is none). */
export function unwrapOrmError(error: unknown): unknown {
  if (isTypeormQueryError(error)) return error.driverError;
  if (isPrismaKnownError(error)) return fromPrisma(error) ?? error;
  return error;
}

/** True for Prisma's "the record to update/delete does not exist" (P2025). */
export function isPrismaNotFound(error: unknown): boolean {
  return isPrismaKnownError(error) && error.code === 'P2025';
}

const UNAVAILABLE: ErrorDescriptor = {
  status: 503,
  code: 'SERVICE_UNAVAILABLE',
  message: 'The service is temporarily unavailable. Try again shortly.',
};

/** describeDbError for all three data layers: pg, Prisma and TypeORM errors alike. */
export function describeDataError(error: unknown): ErrorDescriptor | null {
  if (isPrismaNotFound(error)) return { status: 404, code: 'NOT_FOUND', message: 'Not found.' };
  // Prisma reports an unreachable database with its own codes (P1001 "Can't reach database
  // server"…): there is no PostgreSQL error inside, so answer what describeDbError would.
  const prismaInit = error instanceof Error && error.name === 'PrismaClientInitializationError';
  if (prismaInit || (isPrismaKnownError(error) && error.code.startsWith('P1'))) return UNAVAILABLE;
  return describeDbError(unwrapOrmError(error));
}
