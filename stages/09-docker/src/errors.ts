// LESSON: status codes and error codes are a contract. Clients branch on `status` and `code`
// (stable, machine-readable); `message` is for humans and may change. Anything that is not an
// AppError is a bug and becomes a 500 that leaks nothing.
export type FieldErrors = Record<string, string>;

export class AppError extends Error {
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
  constructor(message = 'Nothing here.') {
    super(404, 'NOT_FOUND', message);
  }
}

export class MethodNotAllowedError extends AppError {
  constructor(method: string, allow: readonly string[]) {
    const list = allow.join(', ');
    super(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here; use ${list}.`, {
      headers: { Allow: list },
    });
  }
}

export class MalformedJsonError extends AppError {
  constructor() {
    super(400, 'MALFORMED_JSON', 'The request body is not valid JSON.');
  }
}

export class InvalidBodyError extends AppError {
  constructor() {
    super(400, 'INVALID_BODY', 'The request body must be a JSON object.');
  }
}

export class InvalidQueryError extends AppError {
  constructor(fields: FieldErrors, message = 'The query string is invalid.') {
    super(400, 'INVALID_QUERY', message, { fields });
  }
}

/** 400: an id in the path that cannot name anything (not a UUID), caught before any query. */
export class InvalidIdError extends AppError {
  constructor() {
    super(400, 'INVALID_ID', 'The id in the path is not a valid id: ids are UUIDs.');
  }
}

/** 401: we do not know who is asking (no valid access token). */
export class UnauthenticatedError extends AppError {
  // Every 401 says how to authenticate (RFC 9110 §11.6.1): here, with a Bearer token (RFC 6750).
  constructor(message: string, challenge = 'Bearer') {
    super(401, 'UNAUTHENTICATED', message, { headers: { 'WWW-Authenticate': challenge } });
  }
}

/** 401 from POST /auth/login: the same answer whether the e-mail or the password was wrong. */
export class InvalidCredentialsError extends AppError {
  constructor() {
    super(401, 'INVALID_CREDENTIALS', 'The e-mail or the password is wrong.', {
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  }
}

/** 403: we know who is asking, and they may not do this. */
export class ForbiddenError extends AppError {
  constructor(message = 'Your role does not allow this.') {
    super(403, 'FORBIDDEN', message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    // Connection: close — we stopped reading mid-body, so this connection cannot carry another
    // request; closing it also stops a client that would keep streaming.
    super(413, 'PAYLOAD_TOO_LARGE', `The request body must be at most ${limitBytes} bytes.`, {
      headers: { Connection: 'close' },
    });
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor() {
    super(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the body as JSON with Content-Type: application/json.',
    );
  }
}

export class ValidationError extends AppError {
  constructor(fields: FieldErrors | undefined, message = 'Some fields are invalid.') {
    super(422, 'VALIDATION_FAILED', message, fields ? { fields } : {});
  }
}

/** 409: the request is fine, but the resource's current state does not allow it. */
export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, 'CONFLICT', message);
  }
}

/** 422 as well, but about the business, not the fields: the same body may succeed tomorrow. */
export class BusinessRuleError extends AppError {
  constructor(message: string) {
    super(422, 'BUSINESS_RULE_VIOLATION', message);
  }
}

/**
 * 503 + Retry-After: not now, but soon (every report worker busy; the database unreachable or a
 * lock/statement timeout). `cause` is for the log only.
 */
export class ServiceUnavailableError extends AppError {
  constructor(message: string, retryAfterSeconds: number, cause?: unknown) {
    super(503, 'SERVICE_UNAVAILABLE', message, {
      headers: { 'Retry-After': String(retryAfterSeconds) },
      cause,
    });
  }
}

/** The only thing a client learns about a bug: the message never comes from the error itself. */
export class InternalError extends AppError {
  constructor() {
    super(500, 'INTERNAL_ERROR', 'Something went wrong on our side.');
  }
}
