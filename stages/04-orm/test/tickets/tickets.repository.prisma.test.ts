import { createPrismaCommentRepository } from '../../src/comments/comments.repository.prisma.ts';
import { closePool, createPool } from '../../src/db/pool.ts';
import { closePrismaClient, createPrismaClient } from '../../src/db/prisma.ts';
import { createPrismaTicketRepository } from '../../src/tickets/tickets.repository.prisma.ts';
import { describeTicketRepositoryContract } from './tickets.repository.contract.ts';

describeTicketRepositoryContract('prisma', async (url) => {
  const pool = createPool(url);
  const prisma = createPrismaClient(pool);
  return {
    tickets: createPrismaTicketRepository(prisma),
    comments: createPrismaCommentRepository(prisma),
    createUser: (user) => prisma.user.create({ data: user }),
    close: async () => {
      await closePrismaClient(prisma);
      await closePool(pool);
    },
  };
});
