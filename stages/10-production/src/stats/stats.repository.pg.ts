import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketPriority,
  type TicketStatus,
} from '@backend-path/shared/domain/tickets';
import { describeDbError } from '../db/pg-errors.ts';
import type { DbPool } from '../db/pool.ts';
import { translateErrors } from '../db/translate-errors.ts';

/** GET /api/v1/stats: the account dashboard, over the tickets the caller may see. */
export interface TicketStats {
  total: number;
  byStatus: Record<TicketStatus, number>;
  byPriority: Record<TicketPriority, number>;
  /** Median of resolved_at − created_at over resolved tickets; null when none is resolved. */
  medianSecondsToResolve: number | null;
  /** Open tickets per agent, most first; unassigned ones are counted apart. */
  openByAssignee: { assigneeId: string; name: string; open: number }[];
  openUnassigned: number;
}

export interface StatsScope {
  accountId: string;
  /** A customer's dashboard counts only the tickets they opened. */
  createdBy?: string;
}

export interface StatsRepository {
  ticketStats(scope: StatsScope): Promise<TicketStats>;
}

// One statement: the scoped rows once (a CTE read more than once is materialised), then four
// aggregates over them. On the 1M-row lab data it reads every ticket of the account: what makes
// it worth caching (npm run lab:cache measures it).
const STATS_SQL = `
WITH visible AS (
  SELECT status, priority, assignee_id, created_at, resolved_at FROM tickets
  WHERE account_id = $1 AND ($2::uuid IS NULL OR created_by = $2)
)
SELECT
  (SELECT count(*)::int FROM visible) AS total,
  (SELECT coalesce(json_object_agg(status, n), '{}') FROM
    (SELECT status, count(*)::int AS n FROM visible GROUP BY status) s) AS by_status,
  (SELECT coalesce(json_object_agg(priority, n), '{}') FROM
    (SELECT priority, count(*)::int AS n FROM visible GROUP BY priority) p) AS by_priority,
  (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - created_at))
    FROM visible WHERE resolved_at IS NOT NULL) AS median_seconds,
  (SELECT coalesce(json_agg(json_build_object('assigneeId', a.assignee_id, 'name', u.name,
      'open', a.n) ORDER BY a.n DESC, a.assignee_id), '[]')
    FROM (SELECT assignee_id, count(*)::int AS n FROM visible
          WHERE status = 'open' AND assignee_id IS NOT NULL GROUP BY assignee_id) a
    JOIN users u ON u.id = a.assignee_id) AS open_by_assignee,
  (SELECT count(*)::int FROM visible WHERE status = 'open' AND assignee_id IS NULL) AS open_unassigned`;

interface StatsRow {
  total: number;
  by_status: Partial<Record<TicketStatus, number>>;
  by_priority: Partial<Record<TicketPriority, number>>;
  median_seconds: number | null;
  open_by_assignee: TicketStats['openByAssignee'];
  open_unassigned: number;
}

/** Every status and priority present, zeros included: a dashboard shows the empty ones too. */
function withZeros<K extends string>(keys: readonly K[], counts: Partial<Record<K, number>>) {
  return Object.fromEntries(keys.map((key) => [key, counts[key] ?? 0])) as Record<K, number>;
}

export function createPgStatsRepository(pool: DbPool): StatsRepository {
  return translateErrors(
    {
      async ticketStats({ accountId, createdBy }: StatsScope): Promise<TicketStats> {
        const { rows } = await pool.query<StatsRow>(STATS_SQL, [accountId, createdBy ?? null]);
        const row = rows[0] as StatsRow;
        return {
          total: row.total,
          byStatus: withZeros(TICKET_STATUSES, row.by_status),
          byPriority: withZeros(TICKET_PRIORITIES, row.by_priority),
          medianSecondsToResolve:
            row.median_seconds === null ? null : Math.round(Number(row.median_seconds)),
          openByAssignee: row.open_by_assignee,
          openUnassigned: row.open_unassigned,
        };
      },
    },
    describeDbError,
  );
}
