import type { CapabilityCheck } from '../context.ts';
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

function expectVaryOrigin(answer: Answer): void {
  expectThat(
    listsItem(answer, 'Vary', 'Origin'),
    answer,
    `expected Vary to name Origin (a shared cache keys on it), got ${header(answer, 'Vary') ?? 'none'}`,
  );
}

// CORS tells a browser which pages may read the answers: an allowed origin is named back (on
// errors too, or the page cannot read why it failed); any other gets nothing at all.
export const cors: CapabilityCheck = {
  name: 'cors',
  promise:
    'an allowed origin is named back (errors and preflights too), a foreign one gets no CORS header, and Vary names Origin',
  async run(ctx) {
    const caller = await ctx.newCaller();
    const allowed = { Origin: ctx.allowedOrigin };

    const simple = await ctx.send('GET', `${API}/health`, { headers: allowed });
    expectStatus(simple, 200);
    expectHeader(simple, 'Access-Control-Allow-Origin', ctx.allowedOrigin);
    expectVaryOrigin(simple);

    const error = await ctx.send('GET', `${API}/no-such-route`, { headers: allowed });
    expectError(error, 404, 'NOT_FOUND');
    expectHeader(error, 'Access-Control-Allow-Origin', ctx.allowedOrigin);

    // The browser asks before a JSON POST that carries the caller's credentials.
    const callerHeaders = Object.keys(caller.headers).map((name) => name.toLowerCase());
    const preflight = await ctx.send('OPTIONS', `${API}/tickets`, {
      headers: {
        ...allowed,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': ['content-type', ...callerHeaders].join(','),
      },
    });
    expectThat(
      preflight.status === 204 || preflight.status === 200,
      preflight,
      'expected the preflight to succeed (204)',
    );
    expectHeader(preflight, 'Access-Control-Allow-Origin', ctx.allowedOrigin);
    expectThat(
      listsItem(preflight, 'Access-Control-Allow-Methods', 'POST'),
      preflight,
      'expected Access-Control-Allow-Methods to list POST',
    );
    for (const name of ['content-type', ...callerHeaders]) {
      expectThat(
        listsItem(preflight, 'Access-Control-Allow-Headers', name),
        preflight,
        `expected Access-Control-Allow-Headers to list ${name}`,
      );
    }

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
