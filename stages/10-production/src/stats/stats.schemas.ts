import { TICKET_PRIORITIES, TICKET_STATUSES } from '@backend-path/shared/domain/tickets';
import { z } from 'zod';
import { IdSchema, type Same } from '../http/common.schemas.ts';
import type { TicketStats } from './stats.repository.pg.ts';

/**
 * GET /api/v1/stats takes no parameters: refuse any, rather than cache one answer per typo
 * (every distinct query string would be a key of its own).
 */
export const StatsQuerySchema = z
  .strictObject(
    {},
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys' ? 'the dashboard takes no parameters' : undefined,
    },
  )
  .meta({ id: 'StatsQuery', description: 'None: the dashboard has one answer per caller.' });

const count = z.number().int().min(0);

export const TicketStatsSchema = z
  .strictObject({
    total: count.meta({ description: 'Every ticket you may see.' }),
    byStatus: z.record(z.enum(TICKET_STATUSES), count),
    byPriority: z.record(z.enum(TICKET_PRIORITIES), count),
    medianSecondsToResolve: z.number().int().nullable().meta({
      description: 'Median time from opened to resolved; null while none is resolved.',
    }),
    openByAssignee: z
      .array(z.strictObject({ assigneeId: IdSchema, name: z.string(), open: count }))
      .meta({ description: 'Open tickets per agent, most first.' }),
    openUnassigned: count.meta({ description: 'Open tickets nobody is assigned to.' }),
  })
  .meta({
    id: 'TicketStats',
    description: 'The account dashboard over the tickets you may see (a customer: their own).',
  });
export type TicketStatsResponse = z.infer<typeof TicketStatsSchema>;
// Compile-time only: what the repository returns and what the schema publishes agree.
export const STATS_SCHEMA_MATCHES_REPOSITORY: Same<TicketStatsResponse, TicketStats> = true;
