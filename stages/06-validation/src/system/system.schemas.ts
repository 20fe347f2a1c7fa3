import { TICKET_PRIORITIES, TICKET_STATUSES } from '@backend-path/shared/domain/tickets';
import { z } from 'zod';

// The answers of the operational routes (health, metrics, the CPU report), documented like
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

const counts = <T extends readonly [string, ...string[]]>(keys: T) =>
  z.object(
    Object.fromEntries(keys.map((key) => [key, z.number().int()])) as {
      [K in T[number]]: z.ZodNumber;
    },
  );

export const TicketStatsReportSchema = z
  .object({
    mode: z.enum(['blocking', 'worker']),
    threadId: z.number().int().meta({ description: '0: the main thread; else a worker’s.' }),
    durationMs: z.number(),
    stats: z.object({
      tickets: z.number().int(),
      byStatus: counts(TICKET_STATUSES),
      byPriority: counts(TICKET_PRIORITIES),
      averageSubjectLength: z.number(),
      resolutionHours: z.object({ p50: z.number(), p90: z.number(), p99: z.number() }),
      checksum: z.string(),
    }),
  })
  .meta({ id: 'TicketStatsReport', description: 'A CPU-heavy report on generated tickets.' });

/** Just enough of an OpenAPI document to tell it from anything else. */
export const OpenApiDocumentSchema = z
  .looseObject({
    openapi: z.string(),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'OpenApiDocument', description: 'This document (OpenAPI 3.1).' });
