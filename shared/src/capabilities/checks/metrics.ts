import type { CapabilityCheck, CapabilityContext } from '../context.ts';
import { API, expectFact, expectHeader, expectStatus } from '../http.ts';
import { createTicket } from '../tickets.ts';

/** A single ticket's route as a pattern, wherever the app mounts it: one series for all ids. */
const TICKET_ROUTE = /route="[^"]*\/tickets\/:id"/;

/** The value of the first sample of `metric` whose labels match every one of `labels`. */
function sample(text: string, metric: string, labels: Array<string | RegExp>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    const [series = '', value = ''] = line.split(/\s+(?=[^\s]+$)/);
    const matches = (label: string | RegExp) =>
      typeof label === 'string' ? series.includes(label) : label.test(series);
    if (labels.every(matches)) return Number(value);
  }
  return 0;
}

async function scrape(ctx: CapabilityContext): Promise<string> {
  const answer = await ctx.send('GET', '/metrics');
  expectStatus(answer, 200, 'GET /metrics');
  expectHeader(answer, 'Content-Type', /^text\/plain\b/);
  return answer.text;
}

// Prometheus scrapes GET /metrics: requests counted per route PATTERN (one series for every
// ticket, not one per id), with their status, so an error rate can be graphed and alerted on.
export const metrics: CapabilityCheck = {
  name: 'metrics',
  promise:
    'GET /metrics counts each request once in http_requests_total, by method, route pattern and status',
  async run(ctx) {
    const caller = await ctx.newCaller();
    const ticket = await createTicket(ctx, caller);
    const labels = ['method="GET"', 'status="200"', TICKET_ROUTE];
    const before = sample(await scrape(ctx), 'http_requests_total', labels);

    expectStatus(await ctx.send('GET', `${API}/tickets/${ticket.id}`, { as: caller }), 200);
    const text = await scrape(ctx);

    const after = sample(text, 'http_requests_total', labels);
    const line = 'http_requests_total{method="GET",route="…/tickets/:id",status="200"}';
    expectFact(
      after === before + 1,
      `GET /metrics: expected ${line} to go from ${before} to ${before + 1}, got ${after}`,
    );
    expectFact(
      !text.includes(ticket.id),
      `GET /metrics: expected no series per ticket id (${ticket.id} appears)`,
    );
  },
};
