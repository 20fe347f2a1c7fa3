import { countQueries, type QueryCounter } from '@backend-path/shared/testing/query-counter';
import pg from 'pg';
import { onTestFinished } from 'vitest';

/**
 * Counts the statements that read tickets (the list, the dashboard), not the caller lookup
 * every authenticated request makes: a cache hit sends none of the first kind. Call it inside a
 * test; it stops counting when the test ends.
 */
export function countTicketReads(): { readonly count: number; reset(): void } {
  const counter: QueryCounter = countQueries(pg.Client);
  onTestFinished(() => counter.stop());
  return {
    get count() {
      return counter.statements.filter((sql) => /\bFROM tickets\b/i.test(sql)).length;
    },
    reset: () => counter.reset(),
  };
}
