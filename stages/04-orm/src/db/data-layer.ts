import type { CommentRepository } from '../comments/comments.repository.pg.ts';
import type { DataLayer } from '../config.ts';
import type { SearchableTicketRepository } from '../tickets/tickets.search.ts';
import type { UserLookup } from '../users/users.lookup.ts';
import { closePool, createPool, type PoolOptions } from './pool.ts';

/** The repositories the app is built with, whichever library implements them. */
export interface DataLayerConnection {
  name: DataLayer;
  tickets: SearchableTicketRepository;
  comments: CommentRepository;
  users: UserLookup;
  /** Closes every connection the data layer opened. */
  close(): Promise<void>;
}

// Prisma and TypeORM are imported only when chosen: the default (pg) server never loads them.
export async function openDataLayer(
  name: DataLayer,
  url: string,
  options: PoolOptions = {},
): Promise<DataLayerConnection> {
  if (name === 'typeorm') {
    const { connectTypeorm } = await import('./typeorm.ts');
    const { createTypeormTicketRepository } = await import(
      '../tickets/tickets.repository.typeorm.ts'
    );
    const { createTypeormCommentRepository } = await import(
      '../comments/comments.repository.typeorm.ts'
    );
    const { createTypeormUserRepository } = await import('../users/users.repository.typeorm.ts');
    const dataSource = await connectTypeorm(url, options);
    return {
      name,
      tickets: createTypeormTicketRepository(dataSource),
      comments: createTypeormCommentRepository(dataSource),
      users: createTypeormUserRepository(dataSource),
      close: () => dataSource.destroy(),
    };
  }

  const pool = createPool(url, options);
  if (name === 'pg') {
    const { createPgTicketRepository } = await import('../tickets/tickets.repository.pg.ts');
    const { createPgCommentRepository } = await import('../comments/comments.repository.pg.ts');
    const { createPgUserRepository } = await import('../users/users.repository.pg.ts');
    return {
      name,
      tickets: createPgTicketRepository(pool),
      comments: createPgCommentRepository(pool),
      users: createPgUserRepository(pool),
      close: () => closePool(pool),
    };
  }

  // The generated client is git-ignored: (re)generate it if it is missing or stale, so
  // `DATA_LAYER=prisma pnpm dev` works even when pnpm install skipped its postinstall.
  const { ensurePrismaClient } = await import('./prisma-generate.ts');
  ensurePrismaClient({ quiet: true });
  const { closePrismaClient, createPrismaClient } = await import('./prisma.ts');
  const { createPrismaTicketRepository } = await import('../tickets/tickets.repository.prisma.ts');
  const { createPrismaCommentRepository } = await import(
    '../comments/comments.repository.prisma.ts'
  );
  const { createPrismaUserRepository } = await import('../users/users.repository.prisma.ts');
  const prisma = createPrismaClient(pool);
  return {
    name,
    tickets: createPrismaTicketRepository(prisma),
    comments: createPrismaCommentRepository(prisma),
    users: createPrismaUserRepository(prisma),
    close: async () => {
      await closePrismaClient(prisma);
      await closePool(pool);
    },
  };
}
