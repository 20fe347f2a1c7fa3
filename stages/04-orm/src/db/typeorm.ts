import {
  DataSource,
  type FindManyOptions,
  type Logger,
  type ObjectLiteral,
  type Repository,
} from 'typeorm';
import { QUERY_TIMEOUT_MARGIN_MS } from './pool.ts';
import { AccountEntity } from './typeorm/account.entity.ts';
import { ActivityEntity } from './typeorm/activity.entity.ts';
import { CommentEntity } from './typeorm/comment.entity.ts';
import { TicketEntity } from './typeorm/ticket.entity.ts';
import { UserEntity } from './typeorm/user.entity.ts';

// Repositories take TypeORM's types and query helpers from here: only src/db imports a driver or an ORM.
export type { DataSource, EntityManager, FindOptionsWhere } from 'typeorm';
export { Equal, ILike, In, LessThan, Raw } from 'typeorm';

/**
 * How many rows `options` finds, counting at most `cap`: find's own count (`countBy`,
 * `findAndCount`) counts every match. The find becomes a subquery with a LIMIT (and the order
 * given, so it walks the index that serves the page), and PostgreSQL counts what it yields.
 */
export async function countUpTo<T extends ObjectLiteral>(
  repository: Repository<T>,
  options: FindManyOptions<T>,
  cap: number,
): Promise<number> {
  const rows = repository
    .createQueryBuilder('counted_row')
    .setFindOptions({ ...options, take: undefined, skip: undefined })
    .select('1')
    .limit(cap);
  const [sql, parameters] = rows.getQueryAndParameters();
  const [row] = await repository.query(
    `SELECT count(*)::int AS total FROM (${sql}) AS counted`,
    parameters,
  );
  return row.total;
}

export const TYPEORM_ENTITIES = [
  AccountEntity,
  UserEntity,
  TicketEntity,
  CommentEntity,
  ActivityEntity,
];

export interface TypeormOptions {
  /** Connections TypeORM's own pg pool may hold (it cannot share ours). */
  max?: number;
  connectionTimeoutMillis?: number;
  /** statement_timeout and lock_timeout, as src/db/pool.ts sets them on its connections. */
  statementTimeoutMillis?: number;
  lockTimeoutMillis?: number;
  /** Called with every statement TypeORM sends (its own query log). */
  onQuery?: (sql: string, parameters: unknown[] | undefined) => void;
}

function queryLogger(onQuery: TypeormOptions['onQuery']): Logger {
  const ignore = () => {};
  return {
    logQuery: (query, parameters) => onQuery?.(query, parameters as unknown[] | undefined),
    // Errors reach the caller as QueryFailedError; logging them here too would print them twice.
    logQueryError: ignore,
    logQuerySlow: ignore,
    logSchemaBuild: ignore,
    logMigration: ignore,
    log: (level, message) => {
      if (level === 'warn') console.warn('[typeorm]', message);
    },
  };
}

// LESSON: the SQL files in migrations/ own the schema. TypeORM is told to describe it, never to
// change it: no synchronize (which would ALTER tables to match the entities), no migrations, no
// CREATE EXTENSION on connect.
export function createTypeormDataSource(url: string, options: TypeormOptions = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: TYPEORM_ENTITIES,
    synchronize: false,
    migrationsRun: false,
    installExtensions: false,
    poolSize: options.max ?? 10,
    // Same connect timeout as src/db/pool.ts: a dead database is a quick 503, not a hang.
    connectTimeoutMS: options.connectionTimeoutMillis ?? 2000,
    // TypeORM hands `extra` to its own pg.Pool: the same bounded waits as src/db/pool.ts,
    // our own clock (query_timeout) and keepalive probes included.
    extra: {
      statement_timeout: options.statementTimeoutMillis,
      lock_timeout: options.lockTimeoutMillis,
      query_timeout: options.statementTimeoutMillis
        ? options.statementTimeoutMillis + QUERY_TIMEOUT_MARGIN_MS
        : undefined,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    },
    logging: options.onQuery === undefined ? false : ['query'],
    logger: queryLogger(options.onQuery),
  });
}

export async function connectTypeorm(
  url: string,
  options: TypeormOptions = {},
): Promise<DataSource> {
  return createTypeormDataSource(url, options).initialize();
}
