import { TICKET_PRIORITIES, TICKET_STATUSES } from '@backend-path/shared/domain/tickets';
import { z } from 'zod';
import { queryObject } from '../http/common.schemas.ts';

export const REPORT_MODES = ['blocking', 'worker'] as const;

export const TicketStatsQuerySchema = queryObject({
  mode: z
    .enum(REPORT_MODES, { error: `mode must be one of: ${REPORT_MODES.join(', ')}.` })
    .default('worker'),
}).meta({
  id: 'TicketStatsQuery',
  description: 'Where the report is computed: on the request thread, or on a worker thread.',
  examples: [{ mode: 'worker' }],
});

export const TicketStatsReportSchema = z
  .object({
    mode: z.enum(REPORT_MODES),
    threadId: z.number().int().meta({ description: '0 is the main thread.' }),
    durationMs: z.number().int(),
    stats: z.object({
      tickets: z.number().int(),
      byStatus: z.record(z.enum(TICKET_STATUSES), z.number().int()),
      byPriority: z.record(z.enum(TICKET_PRIORITIES), z.number().int()),
      averageSubjectLength: z.number(),
      resolutionHours: z.object({ p50: z.number(), p90: z.number(), p99: z.number() }),
      checksum: z.string(),
    }),
  })
  .meta({ id: 'TicketStatsReport', description: 'A CPU-heavy report and where it ran.' });
