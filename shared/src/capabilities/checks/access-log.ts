import { randomUUID } from 'node:crypto';
import type { CapabilityCheck } from '../context.ts';
import { API, eventually, expectStatus, expectThat } from '../http.ts';

// One line per request in the server's output, carrying the request id the client got: the
// id a user reports is a grep away from what happened.
export const accessLog: CapabilityCheck = {
  name: 'access-log',
  promise: 'the server logs each request with its method, path, status and request id',
  async run(ctx) {
    const id = `access-log-${randomUUID()}`;
    const path = `${API}/no-such-route`;
    const answer = await ctx.send('GET', path, { headers: { 'X-Request-Id': id } });
    expectStatus(answer, 404);

    const lines = await eventually(
      () =>
        ctx
          .serverOutput()
          .split('\n')
          .filter((line) => line.includes(id)),
      (found) => found.length > 0,
    );
    const line = lines.find((candidate) => /\bGET\b/.test(candidate) && candidate.includes(path));
    expectThat(
      line !== undefined && /\b404\b/.test(line),
      answer,
      `expected a log line with GET, ${path}, 404 and ${id}; lines with the id: ${lines.join(' | ') || 'none'}`,
    );
  },
};
