// LESSON: status codes and error codes are a contract. Clients branch on `status` and `code`
// (stable, machine-readable); `message` is for humans and may change. Anything that is not an
// AppError is a bug and becomes a 500 that leaks nothing.
export type FieldErrors = Record<string, string>;

/** One row of the error catalogue (README, OpenAPI): which status and code, and when. */
export interface CatalogueEntry {
  status: number;
  code: string;
  when: string;
}

export class AppError extends Error {
  // Each subclass also states its status, code and when it happens as statics: ERROR_CATALOGUE
  // (below) is built from them (test/http/errors.catalogue.test.ts checks instances agree).
  static readonly status: number = 500;
  static readonly code: string = 'INTERNAL_ERROR';
  static readonly when: string = '';

  readonly status: number;
  readonly code: string;
  readonly fields: FieldErrors | undefined;
  /** Headers the contract requires with this error (e.g. `Allow` on a 405). */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { fields?: FieldErrors; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    // `cause` is for the log (the database's own error), never for the client.
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.fields = options.fields;
    this.headers = options.headers ?? {};
  }
}

export class NotFoundError extends AppError {
  static override readonly status = 404;
  static override readonly code = 'NOT_FOUND';
  static override readonly when =
    'No route for the path, or no resource with this id that you may see.';
  constructor(message = 'Nothing here.') {
    super(404, 'NOT_FOUND', message);
  }
}

export class MethodNotAllowedError extends AppError {
  static override readonly status = 405;
  static override readonly code = 'METHOD_NOT_ALLOWED';
  static override readonly when =
    'The path exists, the method does not (`Allow` lists those that do).';
  constructor(method: string, allow: readonly string[]) {
    const list = allow.join(', ');
    super(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here; use ${list}.`, {
      headers: { Allow: list },
    });
  }
}

export class MalformedJsonError extends AppError {
  static override readonly status = 400;
  static override readonly code = 'MALFORMED_JSON';
  static override readonly when = 'The body is not valid JSON.';
  constructor() {
    super(400, 'MALFORMED_JSON', 'The request body is not valid JSON.');
  }
}

export class InvalidBodyError extends AppError {
  static override readonly status = 400;
  static override readonly code = 'INVALID_BODY';
  static override readonly when =
    'The body is missing, or JSON but not an object (a scalar, null, an array).';
  constructor() {
    super(400, 'INVALID_BODY', 'The request body must be a JSON object.');
  }
}

export class InvalidQueryError extends AppError {
  static override readonly status = 400;
  static override readonly code = 'INVALID_QUERY';
  static override readonly when =
    'A query parameter is unknown, repeated or invalid; `fields` names each.';
  constructor(fields: FieldErrors, message = 'The query string is invalid.') {
    super(400, 'INVALID_QUERY', message, { fields });
  }
}

/** 400: an id in the path that cannot name anything (not a UUID), caught before any query. */
export class InvalidIdError extends AppError {
  static override readonly status = 400;
  static override readonly code = 'INVALID_ID';
  static override readonly when = 'An id in the path is not a UUID.';
  constructor() {
    super(400, 'INVALID_ID', 'The id in the path is not a valid id: ids are UUIDs.');
  }
}

/** 401: we do not know who is asking (no valid access token). */
export class UnauthenticatedError extends AppError {
  static override readonly status = 401;
  static override readonly code = 'UNAUTHENTICATED';
  static override readonly when = 'No valid access token (missing, expired, revoked).';
  // Every 401 says how to authenticate (RFC 9110 §11.6.1): here, with a Bearer token (RFC 6750).
  constructor(message: string, challenge = 'Bearer') {
    super(401, 'UNAUTHENTICATED', message, { headers: { 'WWW-Authenticate': challenge } });
  }
}

/** 401 from POST /auth/login: the same answer whether the e-mail or the password was wrong. */
export class InvalidCredentialsError extends AppError {
  static override readonly status = 401;
  static override readonly code = 'INVALID_CREDENTIALS';
  static override readonly when = 'Login with a wrong e-mail or password (one answer for both).';
  constructor() {
    super(401, 'INVALID_CREDENTIALS', 'The e-mail or the password is wrong.', {
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  }
}

/** 403: we know who is asking, and they may not do this. */
export class ForbiddenError extends AppError {
  static override readonly status = 403;
  static override readonly code = 'FORBIDDEN';
  static override readonly when = 'Your role may not do this.';
  constructor(message = 'Your role does not allow this.') {
    super(403, 'FORBIDDEN', message);
  }
}

export class NotAcceptableError extends AppError {
  static override readonly status = 406;
  static override readonly code = 'NOT_ACCEPTABLE';
  static override readonly when = '`Accept` excludes JSON, the only format this API writes.';
  constructor() {
    super(406, 'NOT_ACCEPTABLE', 'This API answers in JSON only: accept application/json.');
  }
}

export class PayloadTooLargeError extends AppError {
  static override readonly status = 413;
  static override readonly code = 'PAYLOAD_TOO_LARGE';
  static override readonly when = 'The body is larger than the limit.';
  constructor(limitBytes: number) {
    // Connection: close — we stopped reading mid-body, so this connection cannot carry another
    // request; closing it also stops a client that would keep streaming.
    super(413, 'PAYLOAD_TOO_LARGE', `The request body must be at most ${limitBytes} bytes.`, {
      headers: { Connection: 'close' },
    });
  }
}

export class UnsupportedMediaTypeError extends AppError {
  static override readonly status = 415;
  static override readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  static override readonly when = 'A body that is not `application/json` in UTF-8.';
  constructor() {
    super(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the body as JSON with Content-Type: application/json.',
    );
  }
}

export class ValidationError extends AppError {
  static override readonly status = 422;
  static override readonly code = 'VALIDATION_FAILED';
  static override readonly when = 'The body breaks its schema (`fields` names every bad field).';
  constructor(fields: FieldErrors | undefined, message = 'Some fields are invalid.') {
    super(422, 'VALIDATION_FAILED', message, fields ? { fields } : {});
  }
}

/** 409: the request is fine, but the resource's current state does not allow it. */
export class ConflictError extends AppError {
  static override readonly status = 409;
  static override readonly code = 'CONFLICT';
  static override readonly when = 'The current state does not allow it (say, a taken e-mail).';
  constructor(message: string) {
    super(409, 'CONFLICT', message);
  }
}

/** 422 as well, but about the business, not the fields: the same body may succeed tomorrow. */
export class BusinessRuleError extends AppError {
  static override readonly status = 422;
  static override readonly code = 'BUSINESS_RULE_VIOLATION';
  static override readonly when = 'A business rule refuses it; the same body may succeed later.';
  constructor(message: string) {
    super(422, 'BUSINESS_RULE_VIOLATION', message);
  }
}

/** 429: this client sent too many requests; the RateLimit and Retry-After headers say more. */
export class TooManyRequestsError extends AppError {
  static override readonly status = 429;
  static override readonly code = 'RATE_LIMIT_EXCEEDED';
  static override readonly when =
    'Too many requests in the window (per user, per address without a token; logins per address, failed ones per e-mail; new users per address); see `Retry-After`.';
  constructor(message = 'Too many requests: wait before sending more (see Retry-After).') {
    super(429, 'RATE_LIMIT_EXCEEDED', message);
  }
}

/**
 * 503 + Retry-After: not now, but soon (every report worker busy; the database unreachable or a
 * lock/statement timeout). `cause` is for the log only.
 */
export class ServiceUnavailableError extends AppError {
  static override readonly status = 503;
  static override readonly code = 'SERVICE_UNAVAILABLE';
  static override readonly when =
    'Busy, or the database is unreachable (a login or a new user: or Redis, which counts them); see `Retry-After`.';
  constructor(message: string, retryAfterSeconds: number, cause?: unknown) {
    super(503, 'SERVICE_UNAVAILABLE', message, {
      headers: { 'Retry-After': String(retryAfterSeconds) },
      cause,
    });
  }
}

/** The only thing a client learns about a bug: the message never comes from the error itself. */
export class InternalError extends AppError {
  static override readonly status = 500;
  static override readonly code = 'INTERNAL_ERROR';
  static override readonly when = 'A bug: the body says nothing more; the log has the detail.';
  constructor() {
    super(500, 'INTERNAL_ERROR', 'Something went wrong on our side.');
  }
}

// LESSON: the error catalogue is generated from the classes, never kept by hand: the README's
// table (`pnpm docs:errors`) and the OpenAPI document both render this list.
export const ERROR_CATALOGUE: readonly CatalogueEntry[] = [
  MalformedJsonError,
  InvalidBodyError,
  InvalidQueryError,
  InvalidIdError,
  UnauthenticatedError,
  InvalidCredentialsError,
  ForbiddenError,
  NotFoundError,
  MethodNotAllowedError,
  NotAcceptableError,
  ConflictError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
  BusinessRuleError,
  TooManyRequestsError,
  InternalError,
  ServiceUnavailableError,
].map(({ status, code, when }) => ({ status, code, when }));
