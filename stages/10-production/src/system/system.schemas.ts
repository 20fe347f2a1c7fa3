import { z } from 'zod';

// The answers of the operational routes (health, metrics, this document), documented like
// every other: a dashboard or a load balancer is a client too.

export const HealthSchema = z
  .object({ status: z.literal('ok') })
  .meta({ id: 'Health', description: 'The process answers.', examples: [{ status: 'ok' }] });

export const EventLoopDelaySchema = z
  .object({
    samples: z.number().int(),
    p50Ms: z.number(),
    p99Ms: z.number(),
    maxMs: z.number(),
  })
  .meta({
    id: 'EventLoopDelay',
    description: 'How late the event loop ran a 10 ms timer, since the start or the last reset.',
    examples: [{ samples: 1200, p50Ms: 0.1, p99Ms: 2.4, maxMs: 31.5 }],
  });

/** Just enough of an OpenAPI document to tell it from anything else. */
export const OpenApiDocumentSchema = z
  .looseObject({
    openapi: z.string(),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'OpenApiDocument', description: 'This document (OpenAPI 3.1).' });
