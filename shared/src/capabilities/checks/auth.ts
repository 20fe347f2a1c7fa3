import { CHECK_PASSWORD } from '../callers.ts';
import type { CapabilityCheck } from '../context.ts';
import { API, expectError, expectHeader, expectStatus, expectThat } from '../http.ts';

// The caller proves who they are: a password checked against its hash gives a short-lived
// signed token, sent as `Authorization: Bearer`. No token, or a bad one, is 401 with
// WWW-Authenticate; logging out everywhere kills every token issued before.
export const auth: CapabilityCheck = {
  name: 'auth',
  promise:
    'login gives a Bearer token that /me accepts; no token, a bad one, a wrong password or a revoked token is 401',
  async run(ctx) {
    const caller = await ctx.newCaller();

    const me = await ctx.send('GET', `${API}/me`, { as: caller });
    expectStatus(me, 200, '/me with the token');
    expectThat(me.body?.data?.id === caller.id, me, `expected data.id ${caller.id}`);
    expectThat(!/password|hash/i.test(me.text), me, 'expected no password or hash in the user');

    const none = await ctx.send('GET', `${API}/tickets`);
    expectError(none, 401, 'UNAUTHENTICATED');
    expectHeader(none, 'WWW-Authenticate', /^Bearer\b/);
    const forged = await ctx.send('GET', `${API}/tickets`, {
      headers: { Authorization: 'Bearer not.a.token' },
    });
    expectError(forged, 401, 'UNAUTHENTICATED');
    // RFC 6750: a token was sent, and it is what failed.
    expectHeader(forged, 'WWW-Authenticate', /^Bearer\b.*error="invalid_token"/);

    const email = me.body.data.email;
    const taken = await ctx.send('POST', `${API}/auth/register`, {
      json: { email, password: CHECK_PASSWORD, name: 'Someone else', accountName: 'Another' },
    });
    expectError(taken, 409, 'CONFLICT');
    const wrong = await ctx.send('POST', `${API}/auth/login`, {
      json: { email, password: `${CHECK_PASSWORD}-wrong` },
    });
    expectError(wrong, 401, 'INVALID_CREDENTIALS');

    const out = await ctx.send('POST', `${API}/auth/logout-all`, { as: caller });
    expectStatus(out, 204, 'logout-all');
    expectError(await ctx.send('GET', `${API}/me`, { as: caller }), 401, 'UNAUTHENTICATED');
    const back = await ctx.send('POST', `${API}/auth/login`, {
      json: { email, password: CHECK_PASSWORD },
    });
    expectStatus(back, 200, 'a new login after logout-all');
  },
};
