import type { CapabilityCheck } from '../context.ts';
import { API, expectStatus, expectThat } from '../http.ts';

// A load balancer or a person asks "are you up?" with no credentials and expects a cheap answer.
export const health: CapabilityCheck = {
  name: 'health',
  promise: 'GET /api/v1/health answers 200 { data: { status: "ok" } } to anyone',
  async run(ctx) {
    const answer = await ctx.send('GET', `${API}/health`);

    expectStatus(answer, 200);
    expectThat(answer.body?.data?.status === 'ok', answer, 'expected data.status "ok"');
  },
};
