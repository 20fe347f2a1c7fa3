import type { z } from 'zod';
import type { CatalogueEntry as ErrorEntry } from '../errors.ts';
import { createSchemaCollector, type JsonSchema, referencedComponents } from './openapi.schema.ts';

export interface ResponseDoc {
  description: string;
  /** The body; none for a 204. */
  schema?: z.ZodType;
  /** Headers the contract promises with this answer (name → what it holds). */
  headers?: Record<string, string>;
}

/** One operation: everything the document says about it, and what the contract tests check. */
export interface RouteDoc {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** As Express writes it, under `/api/v1`: `/tickets/:id`. */
  path: string;
  summary: string;
  tag: string;
  /** Needs `Authorization: Bearer <access token>`. */
  auth: boolean;
  request?: { params?: z.ZodType; query?: z.ZodType; headers?: z.ZodType; body?: z.ZodType };
  responses: Record<number, ResponseDoc>;
  /** Every error code (from the catalogue) this operation can answer with. */
  errors: readonly string[];
  /** Headers the contract promises with an error status (429 → `Retry-After`…). */
  errorHeaders?: Record<number, Record<string, string>>;
}

export const API_PREFIX = '/api/v1';

/** `/tickets/:id` → `/tickets/{id}`. */
export function toOpenApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

type Collector = ReturnType<typeof createSchemaCollector>;

/** An object schema of path or query parameters as OpenAPI parameters, one per property. */
function parameters(
  schema: z.ZodType | undefined,
  where: 'path' | 'query' | 'header',
  schemas: Collector,
) {
  if (!schema) return [];
  let json = schemas.convert(schema, 'input');
  // A named schema comes back as a `$ref`: its properties are in the components.
  if (typeof json.$ref === 'string')
    json = schemas.components[json.$ref.split('/').pop() ?? ''] ?? {};
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      description,
      schema: rest,
    };
  });
}

function json(schema: JsonSchema) {
  return { 'application/json': { schema } };
}

/** name → what it holds, as OpenAPI response headers (none: no `headers` key at all). */
function headerDocs(headers: Record<string, string> | undefined) {
  return (
    headers && {
      headers: Object.fromEntries(
        Object.entries(headers).map(([name, description]) => [
          name,
          { description, schema: { type: 'string' } },
        ]),
      ),
    }
  );
}

export function buildOpenApiDocument(options: {
  routes: readonly RouteDoc[];
  catalogue: readonly ErrorEntry[];
  errorEnvelope: z.ZodType;
  version: string;
}) {
  const schemas = createSchemaCollector();
  const { convert, components } = schemas;
  const envelope = convert(options.errorEnvelope, 'output');
  const byCode = new Map(options.catalogue.map((entry) => [entry.code, entry]));

  // LESSON: the error responses are rendered from the catalogue, not written by hand: each status
  // lists the codes this operation can answer with, and the envelope's `code` is narrowed to them,
  // so a generated client knows that a 404 here means NOT_FOUND and nothing else.
  function errorResponses(codes: readonly string[], headers: RouteDoc['errorHeaders'] = {}) {
    const byStatus = new Map<number, ErrorEntry[]>();
    for (const code of codes) {
      const entry = byCode.get(code);
      if (!entry) throw new Error(`Error code ${code} is not in the catalogue (src/errors.ts).`);
      byStatus.set(entry.status, [...(byStatus.get(entry.status) ?? []), entry]);
    }
    return Object.fromEntries(
      [...byStatus].map(([status, entries]) => [
        status,
        {
          description: entries.map((e) => `\`${e.code}\`: ${e.when}`).join('\n\n'),
          'x-error-codes': entries.map((e) => e.code),
          ...headerDocs(headers[status]),
          content: json({
            allOf: [
              envelope,
              {
                type: 'object',
                properties: {
                  error: {
                    type: 'object',
                    properties: { code: { type: 'string', enum: entries.map((e) => e.code) } },
                  },
                },
              },
            ],
          }),
        },
      ]),
    );
  }

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of options.routes) {
    const { request = {} } = route;
    const successes = Object.entries(route.responses).map(([status, response]) => [
      status,
      {
        description: response.description,
        ...headerDocs(response.headers),
        ...(response.schema && { content: json(convert(response.schema, 'output')) }),
      },
    ]);
    const path = toOpenApiPath(API_PREFIX + route.path);
    paths[path] ??= {};
    paths[path][route.method] = {
      tags: [route.tag],
      summary: route.summary,
      security: route.auth ? [{ bearerAuth: [] }] : [],
      parameters: [
        ...parameters(request.params, 'path', schemas),
        ...parameters(request.query, 'query', schemas),
        ...parameters(request.headers, 'header', schemas),
      ],
      ...(request.body && {
        requestBody: { required: true, content: json(convert(request.body, 'input')) },
      }),
      responses: {
        ...Object.fromEntries(successes),
        ...errorResponses(route.errors, route.errorHeaders),
      },
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Backend Path support tickets API',
      version: options.version,
      description: 'Generated from the zod schemas that validate every request (stage 06).',
    },
    // Relative: the document works on whatever host and port served it (the docs page included).
    servers: [{ url: '/', description: 'The server that served this document' }],
    paths,
    components: {
      schemas: referencedComponents(paths, components),
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'The access token from POST /api/v1/auth/login.',
        },
      },
    },
    'x-error-codes': options.catalogue,
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
