import type { CapabilityCheck } from '../context.ts';
import { type Answer, API, expectHeader, expectNoHeader } from '../http.ts';

function expectHelmet(answer: Answer): void {
  expectHeader(answer, 'X-Content-Type-Options', 'nosniff');
  expectHeader(answer, 'X-Frame-Options', /^(DENY|SAMEORIGIN)$/);
  expectHeader(answer, 'Content-Security-Policy', /\bdefault-src\b/);
  expectHeader(answer, 'Strict-Transport-Security', /\bmax-age=\d+/);
  expectHeader(answer, 'Referrer-Policy', /\S/);
  expectNoHeader(answer, 'X-Powered-By');
}

// The headers nobody remembers to set, on every answer: no MIME sniffing, no framing, a CSP,
// HTTPS only, no Referer leaking paths, and nothing that names the framework.
export const securityHeaders: CapabilityCheck = {
  name: 'security-headers',
  promise:
    'every answer, errors included, carries nosniff, frame, CSP, HSTS and referrer headers and no X-Powered-By',
  async run(ctx) {
    expectHelmet(await ctx.send('GET', `${API}/health`));
    expectHelmet(await ctx.send('GET', `${API}/no-such-route`));
    expectHelmet(await ctx.send('GET', `${API}/tickets`));
  },
};
