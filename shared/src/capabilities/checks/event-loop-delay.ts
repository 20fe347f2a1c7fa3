import type { CapabilityCheck } from '../context.ts';
import { API, expectStatus, expectThat } from '../http.ts';

const FIELDS = ['samples', 'p50Ms', 'p99Ms', 'maxMs'];

// How late the event loop runs, measured from inside: the number that shows a blocked loop.
export const eventLoopDelay: CapabilityCheck = {
  name: 'event-loop-delay',
  promise: 'GET /api/v1/metrics/event-loop reports samples, p50, p99 and max delay as numbers',
  async run(ctx) {
    const answer = await ctx.send('GET', `${API}/metrics/event-loop`);

    expectStatus(answer, 200);
    const delay = answer.body?.data ?? {};
    for (const field of FIELDS) {
      expectThat(
        typeof delay[field] === 'number' && delay[field] >= 0,
        answer,
        `expected data.${field} to be a number ≥ 0`,
      );
    }
    expectThat(delay.samples > 0, answer, 'expected samples > 0: the monitor runs from the start');
  },
};
