import type { CapabilityCheck } from '../context.ts';
import { API, expectStatus, expectThat } from '../http.ts';

/** Routes every stage with a document has, as OpenAPI spells them. */
const DOCUMENTED = [
  ['get', `${API}/tickets`],
  ['post', `${API}/tickets`],
  ['get', `${API}/tickets/{id}`],
  ['get', `${API}/health`],
] as const;

// The contract, published by the server itself and generated from the schemas it validates
// with: a client generates its types from it, and it cannot describe a check the server skips.
export const openapi: CapabilityCheck = {
  name: 'openapi',
  promise: 'GET /api/v1/openapi.json is an OpenAPI 3.1 document of the routes',
  async run(ctx) {
    const answer = await ctx.send('GET', `${API}/openapi.json`);

    expectStatus(answer, 200);
    const doc = answer.body ?? {};
    expectThat(/^3\.1\./.test(doc.openapi ?? ''), answer, 'expected "openapi": "3.1.x"');
    for (const [method, path] of DOCUMENTED) {
      expectThat(
        typeof doc.paths?.[path]?.[method] === 'object',
        answer,
        `expected paths["${path}"].${method}`,
      );
    }
  },
};
