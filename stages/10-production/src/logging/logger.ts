import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/** What config.ts decides about logging. */
export interface LogSettings {
  level: string;
  /** Human-readable lines through pino-pretty (a devDependency): development only. */
  pretty: boolean;
}

// LESSON: a log line is read by a machine first (a log shipper, a query at 2 a.m.), so it is one
// JSON object per line, and it never holds a secret: a value under one of these keys is replaced
// by "[REDACTED]" before the line is written, wherever it sits in what we log (three levels
// down: `password`, `user.passwordHash`, `req.headers.authorization`, `res.headers["set-cookie"]`).
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'password',
  'newPassword',
  'currentPassword',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
  'cookie',
  'set-cookie',
  'idempotency-key',
]);
const CENSOR = '[REDACTED]';
const DEPTH = 3;

/**
 * `value` with every secret key's value censored, copied only where something was (the object
 * the caller logged is left as it was). Plain objects and arrays are walked; anything else (an
 * Error, a request) is written by its serializer, which is redacted in turn (createLogger).
 * Why not pino's own `redact` paths: with a wildcard path (`*.password`) pino 10 runs every
 * field of every line, strings included, through every path — lab:stack-cost measures it at more
 * than pino-http's whole access line costs; one walk of the line by key name is close to free.
 */
function redactSecrets(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const redacted = redactSecrets(item, depth + 1);
      if (redacted !== item) {
        copy ??= [...value];
        copy[i] = redacted;
      }
    });
    return copy ?? value;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const object = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(object)) {
    const redacted = SECRET_KEYS.has(key) ? CENSOR : redactSecrets(object[key], depth + 1);
    if (redacted !== object[key]) {
      copy ??= { ...object };
      copy[key] = redacted;
    }
  }
  return copy ?? object;
}

/** pino's serialized error (its own prototype), and its causes, as plain objects to redact. */
function plainError(serialized: object): Record<string, unknown> {
  const plain: Record<string, unknown> = { ...serialized };
  if (typeof plain.cause === 'object' && plain.cause !== null)
    plain.cause = plainError(plain.cause);
  return plain;
}

// An AppError wraps the driver's error (`cause`): keep its fields (SQLSTATE 55P03…) in the line,
// redacted like the rest.
function serializeError(error: unknown): unknown {
  const serialized: unknown = pino.stdSerializers.errWithCause(error as Error);
  if (serialized === error || typeof serialized !== 'object' || serialized === null) {
    return redactSecrets(serialized); // not an error: a value like any other
  }
  return redactSecrets(plainError(serialized));
}

export function createLogger(settings: LogSettings, destination?: DestinationStream): Logger {
  const options = {
    level: settings.level,
    base: { service: 'backend-path-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Every line's own fields, before they are written. What a child logger binds is not walked:
    // bind ids (requestId), never what a request carries.
    formatters: {
      log: (fields: Record<string, unknown>) => redactSecrets(fields) as typeof fields,
    },
    serializers: { err: serializeError },
  };
  if (destination) return pino(options, destination);
  // The transport loads pino-pretty in a worker thread, by name, only when asked: production
  // images install no devDependencies and never ask.
  if (settings.pretty) return pino({ ...options, transport: { target: 'pino-pretty' } });
  // Written to stdout synchronously: each line is out, in order, before the call returns, so the
  // last lines before an exit (`shutdown.completed`, a fatal crash) are never lost or reordered.
  // pino's default writes in the background: at process.exit, a line still in flight can land
  // after later ones, or not at all. Measured here, both cost the same CPU per line.
  return pino(options, pino.destination({ dest: 1, sync: true }));
}
