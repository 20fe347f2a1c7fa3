import type { CapabilityCheck } from '../context.ts';
import { API, expectError, expectStatus, expectThat } from '../http.ts';

/** node:worker_threads' threadId of the main thread. */
const MAIN_THREAD = 0;

// The CPU-heavy report runs in a worker thread on request, so the event loop stays free for
// everyone else (the stages' own tests prove both modes agree; one report is enough here).
export const reports: CapabilityCheck = {
  name: 'reports',
  promise:
    'the ticket-stats report runs in a worker thread with ?mode=worker, and an unknown mode is 400',
  async run(ctx) {
    const caller = await ctx.newCaller();
    const path = `${API}/reports/ticket-stats`;

    const worker = await ctx.send('GET', `${path}?mode=worker`, { as: caller });

    expectStatus(worker, 200, 'mode=worker');
    const data = worker.body?.data ?? {};
    expectThat(
      data.mode === 'worker' && typeof data.stats === 'object' && data.stats !== null,
      worker,
      'expected data.mode "worker" and data.stats',
    );
    expectThat(
      typeof data.threadId === 'number' && data.threadId !== MAIN_THREAD,
      worker,
      `expected a worker's threadId, not the main thread's (${MAIN_THREAD})`,
    );
    expectError(await ctx.send('GET', `${path}?mode=fast`, { as: caller }), 400, 'INVALID_QUERY');
  },
};
