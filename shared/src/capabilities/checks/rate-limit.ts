import { randomUUID } from 'node:crypto';
import type { CapabilityCheck } from '../context.ts';
import { type Answer, API, expectError, expectHeader, expectThat, header } from '../http.ts';

/** Far above any stage's login limit per e-mail (10): the check stops at the first 429. */
const MAX_TRIES = 30;

// Limits counted outside the process (every instance shares them) and announced in the answer:
// RateLimit and RateLimit-Policy on every answer, 429 RATE_LIMIT_EXCEEDED with Retry-After
// once spent. Guessing one e-mail's password is what the login limit stops.
export const rateLimit: CapabilityCheck = {
  name: 'rate-limit',
  promise:
    'answers announce RateLimit and RateLimit-Policy, and guessing one e-mail’s password ends in 429 with Retry-After',
  async run(ctx) {
    // Any route but a health check: those are never limited (a probe must never see 429).
    const ordinary = await ctx.send('GET', `${API}/metrics/event-loop`);
    expectHeader(ordinary, 'RateLimit-Policy', /q=\d+/);
    expectHeader(ordinary, 'RateLimit', /r=\d+/);

    const email = `guessed-${randomUUID()}@capabilities.test`;
    const answers: Answer[] = [];
    for (let i = 0; i < MAX_TRIES && answers.at(-1)?.status !== 429; i++) {
      answers.push(
        await ctx.send('POST', `${API}/auth/login`, {
          json: { email, password: `guess-number-${i}` },
        }),
      );
    }
    const last = answers.at(-1) as Answer;
    expectError(last, 429, 'RATE_LIMIT_EXCEEDED');
    expectHeader(last, 'Retry-After', /^\d+$/);
    const before = answers.slice(0, -1);
    expectThat(
      before.length > 0 && before.every((answer) => answer.status === 401),
      last,
      `expected 401 for each guess before the 429, got ${before.map((a) => a.status).join(' ')}`,
    );
    expectThat(
      Number(header(last, 'Retry-After')) > 0,
      last,
      'expected Retry-After to be a number of seconds > 0',
    );
  },
};
