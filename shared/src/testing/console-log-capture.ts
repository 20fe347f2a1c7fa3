import { format } from 'node:util';

/**
 * One line the app logged, as fields: `level` (pino's numbers: 30 info, 50 error), the message,
 * and what came with it — the fields of a `(fields, message)` call (`event` names the line), or
 * the error of a console-style `(message, error)` call, as `err`.
 */
export type LogLine = Record<string, unknown> & {
  level: number;
  msg?: string;
  event?: string;
  err?: unknown;
};

export interface LogCapture {
  /** What the app gets as its logger: console's `info` and `error`, printing nothing. */
  logger: { info(...args: unknown[]): void; error(...args: unknown[]): void };
  /** Every line, as console would print it. */
  raw: string[];
  lines(): LogLine[];
  /** Lines with this `event` name. */
  events(event: string): LogLine[];
  /** Lines logged with `error`. */
  errors(): LogLine[];
}

// Stages 01–09 log through console (`logger: console` in server.ts); their tests get this instead.
// Tests ask it what was logged (`errors()`, `events(name)`, `lines()`, `raw`), never the logger's
// call shape, so the same assertions hold in stage 10, whose test/support/log-capture.ts answers
// them from real pino lines.
/** A silent console-style logger that keeps what the app logs, in memory. */
export function captureLogs(): LogCapture {
  const raw: string[] = [];
  const logged: LogLine[] = [];
  const record =
    (level: number) =>
    (...args: unknown[]) => {
      raw.push(format(...args));
      logged.push(toLine(level, args));
    };
  const lines = () => [...logged];
  return {
    logger: { info: record(30), error: record(50) },
    raw,
    lines,
    events: (event) => lines().filter((line) => line.event === event),
    errors: () => lines().filter((line) => line.level >= 50),
  };
}

function toLine(level: number, [first, ...rest]: unknown[]): LogLine {
  if (isFields(first)) return { level, ...first, msg: format(...rest) };
  const line: LogLine = { level, msg: typeof first === 'string' ? first : format(first) };
  if (rest.length > 0) line.err = rest.length === 1 ? rest[0] : rest;
  return line;
}

function isFields(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Error)
  );
}
