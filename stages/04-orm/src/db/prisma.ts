import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.ts';
import type { DbPool } from './pool.ts';

// The client is generated from prisma/schema.prisma into src/db/generated/prisma (git-ignored)
// by `pnpm prisma:generate`, which `pnpm install` runs (postinstall) and the tests re-run when
// the schema changed. Nothing else imports the generated code directly.
export type PrismaDb = PrismaClient;

export interface PrismaOptions {
  /** Called with every statement Prisma sends (its own query log), e.g. to count or print them. */
  onQuery?: (sql: string, params: string) => void;
}

// LESSON: since Prisma 7 the query engine is no longer a Rust binary talking to PostgreSQL
// itself: Prisma compiles each call to SQL in-process and hands it to a *driver adapter*. With
// @prisma/adapter-pg that driver is node-postgres, here the very pool the raw repository uses
// (same connection limit, same connect timeout, same idle-error handler).
export function createPrismaClient(pool: DbPool, options: PrismaOptions = {}): PrismaDb {
  const adapter = new PrismaPg(pool);
  if (options.onQuery === undefined) return new PrismaClient({ adapter, errorFormat: 'minimal' });
  const onQuery = options.onQuery;
  const prisma = new PrismaClient({
    adapter,
    errorFormat: 'minimal',
    log: [{ emit: 'event', level: 'query' }],
  });
  // Prisma's log shows what it sends, except BEGIN (an interactive transaction logs only
  // its COMMIT): labs/compare.ts counts at the driver as well to show the difference.
  prisma.$on('query', (event) => onQuery(event.query, event.params));
  return prisma;
}

/** Closes Prisma's side; the pool belongs to the caller (closePool). */
export async function closePrismaClient(prisma: PrismaDb): Promise<void> {
  await prisma.$disconnect();
}
