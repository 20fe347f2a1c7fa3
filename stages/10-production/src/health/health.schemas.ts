import { z } from 'zod';

export const LiveSchema = z
  .object({ status: z.literal('ok'), uptimeSeconds: z.number().nonnegative() })
  .meta({ id: 'Liveness' });

export const DependencyStatusSchema = z
  .object({
    status: z.enum(['up', 'down']),
    latencyMs: z.number().nonnegative(),
    required: z.boolean(),
    reason: z.string().optional(),
  })
  .meta({ id: 'DependencyStatus' });

export const ReadinessSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    timestamp: z.iso.datetime(),
    dependencies: z.record(z.string(), DependencyStatusSchema),
  })
  .meta({ id: 'Readiness' });
