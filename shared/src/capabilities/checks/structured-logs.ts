import { randomUUID } from 'node:crypto';
import type { CapabilityCheck } from '../context.ts';
import { API, eventually, expectFact, expectStatus } from '../http.ts';

function parsed(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

// One JSON object per line, each with a level, a time and the request id: a log store can
// filter on fields instead of a person grepping text.
export const structuredLogs: CapabilityCheck = {
  name: 'structured-logs',
  promise: 'the server logs JSON lines with level, time and the request id',
  async run(ctx) {
    const id = `structured-${randomUUID()}`;
    expectStatus(await ctx.send('GET', `${API}/health`, { headers: { 'X-Request-Id': id } }), 200);

    const lines = await eventually(
      () =>
        ctx
          .serverOutput()
          .split('\n')
          .filter((line) => line.includes(id)),
      (found) => found.length > 0,
    );
    expectFact(lines.length > 0, `expected a log line with the request id ${id}`);
    const entries = lines.map(parsed);
    expectFact(
      entries.every(
        (entry) =>
          entry !== undefined &&
          entry.level !== undefined &&
          typeof entry.time === 'string' &&
          entry.requestId === id,
      ),
      `expected every line with the id to be JSON with level, time and requestId; got ${lines.join(' | ')}`,
    );
  },
};
