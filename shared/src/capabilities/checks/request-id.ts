import type { CapabilityCheck } from '../context.ts';
import { API, expectHeader, expectThat, header } from '../http.ts';

const SAFE_ID = 'capability-trace-42';
/** Too long to keep: an id ends up in every log line, so a server keeps only short, plain ones. */
const UNSAFE_ID = 'x'.repeat(200);

// One id per request, in the answer and in every log line about it: "it failed, here is my
// X-Request-Id" becomes one grep. An id from the client (a proxy, another service) is kept when safe.
export const requestId: CapabilityCheck = {
  name: 'request-id',
  promise:
    'every answer (errors too) carries an X-Request-Id, a safe one from the client is kept and an unsafe one replaced',
  async run(ctx) {
    const one = await ctx.send('GET', `${API}/health`);
    const two = await ctx.send('GET', `${API}/health`);
    expectHeader(one, 'X-Request-Id', /^[\w.:-]{8,64}$/);
    expectThat(
      header(one, 'X-Request-Id') !== header(two, 'X-Request-Id'),
      two,
      'expected a new id for each request',
    );

    const error = await ctx.send('GET', `${API}/no-such-route`);
    expectHeader(error, 'X-Request-Id', /^[\w.:-]{8,64}$/);

    const kept = await ctx.send('GET', `${API}/health`, { headers: { 'X-Request-Id': SAFE_ID } });
    expectHeader(kept, 'X-Request-Id', SAFE_ID);
    const replaced = await ctx.send('GET', `${API}/health`, {
      headers: { 'X-Request-Id': UNSAFE_ID },
    });
    expectHeader(replaced, 'X-Request-Id', /^[\w.:-]{8,64}$/);
  },
};
