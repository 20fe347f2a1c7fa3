import { registeredRoutes } from '@backend-path/shared/testing/express-routes';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/errors.ts';
import type { OpenApiDocument } from '../../src/openapi/openapi.document.ts';
import { API_VERSION } from '../../src/openapi/openapi.router.ts';
import { API_ROUTES } from '../../src/openapi/openapi.routes.ts';
import { buildApp, JSON_UTF8 } from '../support/helpers.ts';

type Operation = {
  security: unknown[];
  parameters: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; 'x-error-codes'?: string[]; content?: object }>;
};

type Document = Omit<OpenApiDocument, 'paths' | 'components'> & {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, { examples?: unknown[] }>;
    securitySchemes: Record<string, unknown>;
  };
};

async function servedDocument() {
  const res = await supertest(buildApp().app).get('/api/v1/openapi.json');
  return {
    res,
    doc: res.body as Document,
  };
}

function operations(doc: { paths: Record<string, Record<string, Operation>> }) {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
  );
}

describe('GET /api/v1/openapi.json', () => {
  it('When it is requested without a token, then 200 with an OpenAPI 3.1 document: info, version, servers, bearer scheme', async () => {
    const { res, doc } = await servedDocument();

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: API_VERSION });
    expect(doc.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'Ticket',
        'Comment',
        'User',
        'AccessToken',
        'PageMeta',
        'ErrorEnvelope',
      ]),
    );
  });

  // LESSON: the contract is checked against the running app, both ways: a route added to a
  // router without a line in the table fails here, and so does a documented route nobody serves.
  it('When every route registered on the Express app is listed, then the document has exactly those operations', async () => {
    const { doc } = await servedDocument();

    const served = registeredRoutes(buildApp().app).map((r) => r.replace(/:(\w+)/g, '{$1}'));
    const documented = operations(doc)
      .map(({ key }) => key)
      .sort();

    expect(served.length).toBeGreaterThan(15);
    expect(documented).toEqual(served);
  });

  it('When a route needs a token, then it says so (bearerAuth) and documents 401; the open ones neither', async () => {
    const { doc } = await servedDocument();
    const open = ['POST /api/v1/auth/register', 'POST /api/v1/auth/login', 'GET /api/v1/health'];

    for (const { key, op } of operations(doc)) {
      const secured = op.security.length > 0;
      expect({ key, secured, has401: '401' in op.responses }).toEqual(
        secured ? { key, secured, has401: true } : { key, secured, has401: key.endsWith('/login') },
      );
    }
    for (const key of open) {
      expect(operations(doc).find((o) => o.key === key)?.op.security).toEqual([]);
    }
    const list = doc.paths['/api/v1/tickets']?.get;
    expect(list?.security).toEqual([{ bearerAuth: [] }]);
  });

  it('When an operation has path or query parameters, or a body, then each is documented with its schema', async () => {
    const { doc } = await servedDocument();
    const get = doc.paths['/api/v1/tickets/{id}']?.get;
    const list = doc.paths['/api/v1/tickets']?.get;
    const create = doc.paths['/api/v1/tickets']?.post;

    expect(get?.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    ]);
    expect(list?.parameters.map((p) => p.name)).toEqual([
      'page',
      'pageSize',
      'status',
      'q',
      'include',
      'after',
    ]);
    expect(create?.requestBody?.content['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/CreateTicketBody',
    });
    expect(doc.components.schemas.CreateTicketBody?.examples).toEqual([
      expect.objectContaining({ subject: expect.any(String) }),
    ]);
  });

  it('When the error catalogue is rendered, then each error response lists its codes from src/errors.ts, and x-error-codes holds the whole catalogue', async () => {
    const { doc } = await servedDocument();
    const statusOf = new Map(ERROR_CATALOGUE.map((e) => [e.code, e.status]));

    expect(doc['x-error-codes']).toEqual(ERROR_CATALOGUE);
    const create = doc.paths['/api/v1/tickets']?.post;
    expect(create?.responses['422']?.['x-error-codes']?.sort()).toEqual([
      'BUSINESS_RULE_VIOLATION',
      'VALIDATION_FAILED',
    ]);
    for (const { key, op } of operations(doc)) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue;
        const codes = response['x-error-codes'] ?? [];
        expect({ key, status, codes: codes.length > 0 }).toEqual({ key, status, codes: true });
        for (const code of codes) {
          expect({ key, code, status: statusOf.get(code) }).toEqual({
            key,
            code,
            status: Number(status),
          });
          expect(response.description).toContain(`\`${code}\``);
        }
      }
    }
  });

  it('When every route is in the table, then every table entry has a success answer and a summary', () => {
    for (const route of API_ROUTES) {
      expect(Object.keys(route.responses).length, `${route.method} ${route.path}`).toBeGreaterThan(
        0,
      );
      expect(route.summary).not.toBe('');
    }
  });
});
