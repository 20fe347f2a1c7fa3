import pg from 'pg';

// Turns what PostgreSQL says into what the API may say. The repositories translate every error
// they raise with `describeDbError` (src/db/translate-errors.ts), so the layers above them see
// AppErrors only; an error with no descriptor is a bug: 500 INTERNAL_ERROR, details in the log.

export interface ErrorDescriptor {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string>;
}

// LESSON: constraints carry names we chose (see migrations/), so a violation can be mapped to
// the API field that caused it — without ever showing the client PostgreSQL's own text,
// which names tables, columns and values.
const FIELD_BY_CONSTRAINT: Record<string, string> = {
  tickets_assignee_id_fkey: 'assigneeId',
  tickets_created_by_fkey: 'createdBy',
  tickets_account_id_fkey: 'accountId',
  tickets_subject_length: 'subject',
  tickets_description_length: 'description',
  tickets_priority_valid: 'priority',
  tickets_status_valid: 'status',
  comments_author_id_fkey: 'authorId',
  comments_body_length: 'body',
  users_email_key: 'email',
};

// A foreign key to the resource named in the URL (POST /tickets/:id/comments): its parent is
// missing, so the answer is 404, not "your body is invalid".
const NOT_FOUND_BY_CONSTRAINT: Record<string, string> = {
  comments_ticket_id_fkey: 'Ticket not found.',
};

function withField(descriptor: ErrorDescriptor, constraint: string | undefined, problem: string) {
  const field = constraint === undefined ? undefined : FIELD_BY_CONSTRAINT[constraint];
  return field === undefined ? descriptor : { ...descriptor, fields: { [field]: problem } };
}

/** A descriptor for errors the client can act on, `null` for everything else (a bug: 500). */
export function describeDbError(error: unknown): ErrorDescriptor | null {
  if (isConnectionError(error) || isTimeoutError(error)) {
    return {
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: 'The service is temporarily unavailable. Try again shortly.',
    };
  }
  if (!(error instanceof pg.DatabaseError)) return null;
  const { constraint } = error;
  switch (error.code) {
    case '23505': // unique_violation
      return withField(
        { status: 409, code: 'CONFLICT', message: 'A resource with these values already exists.' },
        constraint,
        'is already taken',
      );
    case '23503': {
      // foreign_key_violation
      const notFound = constraint === undefined ? undefined : NOT_FOUND_BY_CONSTRAINT[constraint];
      if (notFound !== undefined) return { status: 404, code: 'NOT_FOUND', message: notFound };
      return withField(
        {
          status: 422,
          code: 'VALIDATION_FAILED',
          message: 'A referenced resource does not exist.',
        },
        constraint,
        'does not exist',
      );
    }
    case '23514': // check_violation
      return withField(
        {
          status: 422,
          code: 'VALIDATION_FAILED',
          message: 'A value is outside its allowed range.',
        },
        constraint,
        'is not allowed',
      );
    case '22P02': // invalid_text_representation: in practice an id that is not a UUID
      return { status: 400, code: 'INVALID_ID', message: 'The id is not a valid UUID.' };
    // character_not_in_repertoire (U+0000 in text) and untranslatable_character: validation
    // rejects them first; this is the second line of defence for any path that skips it.
    case '22021':
    case '22P05':
      return {
        status: 422,
        code: 'VALIDATION_FAILED',
        message: 'The text contains a character that cannot be stored (such as U+0000).',
      };
    default:
      return null;
  }
}

// LESSON: lock_timeout (55P03) and statement_timeout (57014) end a wait the pool set a bound on
// (src/db/pool.ts). The request was fine and may succeed in a moment: 503 + Retry-After, not 500.
const TIMEOUT_SQLSTATES = new Set(['55P03', '57014']);

/** True when PostgreSQL cancelled the statement because it waited or ran too long. */
export function isTimeoutError(error: unknown): boolean {
  return error instanceof pg.DatabaseError && TIMEOUT_SQLSTATES.has(error.code ?? '');
}

// Errors that mean "the database is unreachable right now", not "your request is wrong".
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
// SQLSTATEs: class 08 connection_exception, 28 invalid authorization, 3D000 no such database,
// 53300 too_many_connections, 57P01–57P03 the server is shutting down or starting up.
const UNAVAILABLE_SQLSTATE = /^(08|28)|^(3D000|53300|57P01|57P02|57P03)$/;
// pg and pg-pool raise these without a code, so the message is all there is to go on. A query
// read timeout is pg's own clock (query_timeout, src/db/pool.ts): no answer came back in time.
const CONNECTION_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|Query read timeout/;

/** True when pg itself gave up waiting for an answer (query_timeout): the connection may be dead. */
export function isQueryTimeout(error: unknown): error is Error {
  return error instanceof Error && error.message === 'Query read timeout';
}

/** True when the error means the database cannot be reached: answer 503, not 500. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return true;
    if (error instanceof pg.DatabaseError && UNAVAILABLE_SQLSTATE.test(code)) return true;
  }
  if (CONNECTION_MESSAGES.test(error.message)) return true;
  // `localhost` resolves to ::1 and 127.0.0.1: Node reports both refusals in one AggregateError.
  if (error instanceof AggregateError && error.errors.some(isConnectionError)) return true;
  return error.cause !== undefined && isConnectionError(error.cause);
}
