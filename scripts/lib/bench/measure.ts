import autocannon from 'autocannon';
import type { RouteId, Run } from './results.ts';
import { deleteLeftovers, type Target, WRITE_SUBJECT } from './targets.ts';

type Options = autocannon.Options;

/** The read routes' paths (the ticket is the caller's account's newest). */
const READS: Partial<Record<RouteId, (target: Target) => string>> = {
  ticket: (target) => target.ticketPath,
  list: () => '/api/v1/tickets',
  comments: () => '/api/v1/tickets?include=comments',
};

/** What autocannon sends for one cell: the same bytes for every stage that has the route. */
function requestsFor(target: Target, route: RouteId): Partial<Options> {
  const { headers } = target;
  const url = (path: string) => `${target.server.url}${path}`;
  const json = { ...headers, 'Content-Type': 'application/json' };
  switch (route) {
    case 'ticket':
    case 'list':
    case 'comments':
      return { url: url(READS[route]?.(target) ?? ''), headers };
    case 'login':
      return {
        url: url('/api/v1/auth/login'),
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(target.login),
      };
    case 'write':
      // Each connection creates a ticket, then deletes it: the caller never holds more open
      // tickets than there are connections (10, the limit), and the data stays as seeded.
      return {
        url: target.server.url,
        requests: [
          {
            method: 'POST',
            path: '/api/v1/tickets',
            headers: json,
            body: JSON.stringify({ subject: WRITE_SUBJECT, priority: 'low' }),
            onResponse: (status: number, body: string, context: Record<string, unknown>) => {
              context.id =
                status === 201 ? (JSON.parse(body) as { data: { id: string } }).data.id : undefined;
            },
          },
          {
            method: 'DELETE',
            headers,
            // No id (the create failed, and counts as failed): start the pair again.
            setupRequest: (request: Record<string, unknown>, context: Record<string, unknown>) =>
              context.id ? { ...request, path: `/api/v1/tickets/${context.id}` } : null,
          },
        ],
      } as unknown as Partial<Options>;
  }
}

/**
 * One request, answered, before a read cell: a cell measures the steady state, not the first
 * reader after a write (stage 07 on, a write empties the account's cached lists, and the cell
 * before this one wrote) nor the database's first look at the pages. Its status does not count.
 */
async function prime(target: Target, path: string): Promise<void> {
  await fetch(`${target.server.url}${path}`, {
    headers: target.headers,
    signal: AbortSignal.timeout(30_000),
  }).then(
    (res) => res.arrayBuffer(),
    () => undefined,
  );
}

/** `length`: seconds, or `{ requests }`: that many requests, however long they take. */
export async function measure(
  target: Target,
  route: RouteId,
  length: number | { requests: number },
  connections: number,
): Promise<Run> {
  const read = READS[route];
  if (read) await prime(target, read(target));
  // Before as well as after: a create still queued when the last write cell's cleanup looked
  // (one caller's creates take turns on a row lock) may have committed since.
  if (route === 'write') await deleteLeftovers(target);
  const result = await autocannon({
    connections,
    // autocannon notices the end only when it samples: every second by default, so a run of 40
    // requests would last a second. Sampled every 100 ms, it ends when the requests are answered.
    ...(typeof length === 'number'
      ? { duration: length }
      : { amount: length.requests, sampleInt: 100 }),
    ...requestsFor(target, route),
  } as Options);
  if (route === 'write') await deleteLeftovers(target);
  // Answers ÷ elapsed rather than autocannon's per-second average, which a run under 1 s lacks;
  // only 2xx answers count: a fast 503 is not a request served.
  const elapsed = Math.max(result.duration, 0.001);
  const served = Math.max(0, result.requests.total - result.non2xx);
  return {
    requestsPerSecond: Math.round((served / elapsed) * 10) / 10,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    failed: result.errors + result.timeouts + result.non2xx,
    ...(result.errors + result.timeouts + result.non2xx > 0
      ? {
          failures: {
            '4xx': result['4xx'],
            '5xx': result['5xx'],
            errors: result.errors,
            timeouts: result.timeouts,
          },
        }
      : {}),
  };
}
