import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/** What config.ts decides about logging. */
export interface LogSettings {
  level: string;
  /** Human-readable lines through pino-pretty (a devDependency): development only. */
  pretty: boolean;
}

// LESSON: a log line is read by a machine first (a log shipper, a query at 2 a.m.), so it is one
// JSON object per line, and it never holds a secret: these paths are replaced by "[REDACTED]"
// before the line is written, wherever they appear in what we log (pino's `redact`, fast-redact).
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'accessToken',
  'refreshToken',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.authorization',
  '*.passwordHash',
];

export function createLogger(settings: LogSettings, destination?: DestinationStream): Logger {
  const options = {
    level: settings.level,
    base: { service: 'backend-path-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    // An AppError wraps the driver's error (`cause`): keep its fields (SQLSTATE 55P03…) in the line.
    serializers: { err: pino.stdSerializers.errWithCause },
  };
  if (destination) return pino(options, destination);
  // The transport loads pino-pretty in a worker thread, by name, only when asked: production
  // images install no devDependencies and never ask.
  if (settings.pretty) return pino({ ...options, transport: { target: 'pino-pretty' } });
  return pino(options);
}
