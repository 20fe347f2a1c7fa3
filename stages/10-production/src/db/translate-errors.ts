import { AppError, ServiceUnavailableError } from '../errors.ts';
import type { ErrorDescriptor } from './pg-errors.ts';

/** Reads what a driver error means for the API (describeDbError; stage 04 adds the ORMs'). */
export type DescribeError = (error: unknown) => ErrorDescriptor | null;

/** The AppError for a data-layer error; one we cannot describe is a bug and stays as it is. */
export function toAppError(error: unknown, describe: DescribeError): unknown {
  if (error instanceof AppError) return error;
  const described = describe(error);
  if (described === null) return error;
  // The original goes along as `cause`: the log shows why (say, a lock timeout), the client not.
  if (described.status === 503) return new ServiceUnavailableError(described.message, 1, error);
  const { status, code, message, fields } = described;
  return new AppError(status, code, message, { fields, cause: error });
}

// LESSON: errors are translated where they arise. Every method of a repository goes through
// this wrapper, so a service — called by HTTP, a CLI or a queue worker — sees AppErrors with
// stable codes, never a pg, Prisma or TypeORM error, and the HTTP error handler knows no driver.
export function translateErrors<T extends object>(repository: T, describe: DescribeError): T {
  const translated: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(repository)) {
    if (typeof member !== 'function') {
      translated[name] = member;
      continue;
    }
    translated[name] = async (...args: unknown[]) => {
      try {
        return await member.apply(repository, args);
      } catch (error: unknown) {
        throw toAppError(error, describe);
      }
    };
  }
  return translated as T;
}
