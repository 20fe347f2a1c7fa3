import type { CapabilityCheck } from '../context.ts';
import { API, expectError, expectStatus } from '../http.ts';

// One prefix, /api/v1, in one place: a v2 can live beside it, and nothing answers outside it
// (a route that slipped out of the prefix would escape whatever the prefix is given later).
export const versionedRoutes: CapabilityCheck = {
  name: 'versioned-routes',
  promise: 'the API answers under /api/v1 and nowhere else',
  async run(ctx) {
    const caller = await ctx.newCaller();
    expectStatus(await ctx.send('GET', `${API}/health`), 200, 'the versioned path');
    expectStatus(
      await ctx.send('GET', `${API}/tickets`, { as: caller }),
      200,
      'the versioned list',
    );

    for (const path of ['/health', '/tickets', '/api/v2/health', '/api/tickets']) {
      expectError(await ctx.send('GET', path, { as: caller }), 404, 'NOT_FOUND');
    }
  },
};
