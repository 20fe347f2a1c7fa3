import type pg from 'pg';

export interface QueryCounter {
  readonly count: number;
  /** The SQL text of every statement sent since the start (or the last reset), in order. */
  readonly statements: string[];
  reset(): void;
  stop(): void;
}

/**
 * Counts every statement sent through `ClientClass`, for N+1 tests ("listing 20 tickets with their
 * comments takes 2 queries, not 21").
 *
 * Why patch `Client.prototype.query`: it is the one door every statement goes through. `Pool.query`
 * checks out a Client and calls its `query`; Prisma's adapter-pg and TypeORM's postgres driver use
 * pg underneath too. A database-side log would also work, but not on PGlite, and not per test.
 * Pass the `Client` the code under test imports (`import pg from 'pg'` → `pg.Client`), so both sides
 * patch and use the same class.
 */
export function countQueries(ClientClass: typeof pg.Client): QueryCounter {
  const proto = ClientClass.prototype;
  const original = proto.query;
  const statements: string[] = [];
  let counting = true;

  function countingQuery(this: pg.Client, ...args: unknown[]): unknown {
    if (counting) statements.push(sqlText(args[0]));
    return Reflect.apply(original, this, args);
  }
  proto.query = countingQuery as typeof proto.query;

  return {
    get count() {
      return statements.length;
    },
    statements,
    reset() {
      statements.length = 0;
    },
    stop() {
      counting = false;
      // If another counter was installed after us, it still calls through us: stay in place, idle.
      if (proto.query === countingQuery) proto.query = original;
    },
  };
}

function sqlText(query: unknown): string {
  if (typeof query === 'string') return query;
  const text = (query as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : String(query);
}
