import { createLogger, type Logger } from '../../src/logging/logger.ts';

/** One JSON line pino wrote, parsed. */
export type LogLine = Record<string, unknown> & {
  level: number;
  msg?: string;
  event?: string;
  requestId?: string;
  err?: Record<string, unknown> | string;
};

export interface LogCapture {
  logger: Logger;
  /** Every line, as written (the exact bytes a log shipper would receive). */
  raw: string[];
  lines(): LogLine[];
  /** Lines with this `event` name. */
  events(event: string): LogLine[];
  /** Lines at error or fatal (pino's 50, 60). */
  errors(): LogLine[];
}

// Tests ask this capture what was logged (`errors()`, `events(name)`, `raw`), never the logger's
// call shape: the assertions of stages 01–09 (shared/src/testing/console-log-capture.ts there)
// hold unchanged now that pino is behind it.
/** A real pino logger (the app's options, redaction included) that writes into memory. */
export function captureLogs(level = 'debug'): LogCapture {
  const raw: string[] = [];
  const logger = createLogger(
    { level, pretty: false },
    { write: (line: string) => raw.push(line) },
  );
  const lines = () => raw.map((line) => JSON.parse(line) as LogLine);
  return {
    logger,
    raw,
    lines,
    events: (event) => lines().filter((line) => line.event === event),
    errors: () => lines().filter((line) => line.level >= 50),
  };
}

/** The JSON lines a process logged (pino) into its output, parsed; other lines are skipped. */
export function jsonLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}
