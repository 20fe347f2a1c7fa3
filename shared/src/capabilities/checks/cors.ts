import type { CapabilityCheck, CapabilityContext } from '../context.ts';
import {
  type Answer,
  API,
  expectError,
  expectHeader,
  expectNoHeader,
  expectStatus,
  expectThat,
  header,
  listsItem,
} from '../http.ts';

const FOREIGN_ORIGIN = 'https://evil.example';

/** The headers a page may send, and may read, by what else the stage declares. */
function headerLists(ctx: CapabilityContext, callerHeaders: string[]) {
  const sent = ['content-type', 'if-none-match', ...callerHeaders];
  const read = ['etag', 'location'];
  if (ctx.declares('request-id')) {
    sent.push('x-request-id');
    read.push('x-request-id');
  }
  if (ctx.declares('auth')) read.push('www-authenticate');
  if (ctx.declares('idempotency')) {
    sent.push('idempotency-key');
    read.push('idempotent-replayed');
  }
  return { sent, read };
}

function expectListed(answer: Answer, name: string, items: string[]): void {
  for (const item of items) {
    expectThat(
      listsItem(answer, name, item),
      answer,
      `expected ${name} to list ${item}, got ${header(answer, name) ?? 'no such header'}`,
    );
  }
}

function expectVaryOrigin(answer: Answer): void {
  expectListed(answer, 'Vary', ['Origin']);
}

// CORS tells a browser which pages may read the answers: an allowed origin is named back (on
// errors too, or the page cannot read why it failed), with the headers its script may send and
// read; any other origin gets nothing at all.
export const cors: CapabilityCheck = {
  name: 'cors',
  promise:
    'an allowed origin is named back (errors and preflights too) with the headers a page may send and read, a foreign one gets no CORS header, and Vary names Origin',
  async run(ctx) {
    const caller = await ctx.newCaller();
    const allowed = { Origin: ctx.allowedOrigin };
    const callerHeaders = Object.keys(caller.headers).map((name) => name.toLowerCase());
    const { sent, read } = headerLists(ctx, callerHeaders);

    const simple = await ctx.send('GET', `${API}/health`, { headers: allowed });
    expectStatus(simple, 200);
    expectHeader(simple, 'Access-Control-Allow-Origin', ctx.allowedOrigin);
    expectListed(simple, 'Access-Control-Expose-Headers', read);
    expectVaryOrigin(simple);

    const error = await ctx.send('GET', `${API}/no-such-route`, { headers: allowed });
    expectError(error, 404, 'NOT_FOUND');
    expectHeader(error, 'Access-Control-Allow-Origin', ctx.allowedOrigin);

    // The browser asks first before a JSON POST that carries the caller's credentials.
    const preflight = await ctx.send('OPTIONS', `${API}/tickets`, {
      headers: {
        ...allowed,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': sent.join(','),
      },
    });
    expectStatus(preflight, 204, 'the preflight');
    expectHeader(preflight, 'Access-Control-Allow-Origin', ctx.allowedOrigin);
    expectListed(preflight, 'Access-Control-Allow-Methods', ['POST']);
    expectListed(preflight, 'Access-Control-Allow-Headers', sent);
    expectHeader(preflight, 'Access-Control-Max-Age', /^[1-9]\d*$/);

    const foreign = { Origin: FOREIGN_ORIGIN };
    const refused = await ctx.send('GET', `${API}/health`, { headers: foreign });
    expectStatus(refused, 200, 'CORS never refuses a request: the browser does, given no header');
    expectNoHeader(refused, 'Access-Control-Allow-Origin');
    expectVaryOrigin(refused);
    const foreignPreflight = await ctx.send('OPTIONS', `${API}/tickets`, {
      headers: { ...foreign, 'Access-Control-Request-Method': 'POST' },
    });
    expectNoHeader(foreignPreflight, 'Access-Control-Allow-Origin');
    expectNoHeader(foreignPreflight, 'Access-Control-Allow-Methods');
  },
};
