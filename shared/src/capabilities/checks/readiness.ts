import type { CapabilityCheck } from '../context.ts';
import { API, expectStatus, expectThat } from '../http.ts';

// Live: the process runs (restart it if not). Ready: it can serve, each dependency asked now
// (send it no traffic if not). A load balancer needs the second; only a dead process the first.
export const readiness: CapabilityCheck = {
  name: 'readiness',
  promise:
    '/health/live answers 200 and /health/ready names each dependency, PostgreSQL up and required',
  async run(ctx) {
    const live = await ctx.send('GET', `${API}/health/live`);
    expectStatus(live, 200, 'live');
    expectThat(live.body?.data?.status === 'ok', live, 'expected data.status "ok"');

    const ready = await ctx.send('GET', `${API}/health/ready`);
    expectStatus(ready, 200, 'ready, with its database up');
    const postgres = ready.body?.data?.dependencies?.postgres;
    expectThat(
      ready.body.data.status === 'ok' && postgres?.status === 'up' && postgres.required === true,
      ready,
      'expected data.status "ok" and dependencies.postgres { status: "up", required: true }',
    );
  },
};
