import type { UserRole } from '@backend-path/shared/domain/users';
import { describeDataError } from '../db/orm-errors.ts';
import type { PrismaDb } from '../db/prisma.ts';
import { translateErrors } from '../db/translate-errors.ts';
import { isUuid } from '../tickets/tickets.ids.ts';
import type { UserLookup } from './users.lookup.ts';

/** users.repository.pg.ts with Prisma: the caller behind X-User-Id. */
export function createPrismaUserRepository(prisma: PrismaDb): UserLookup {
  const repository: UserLookup = {
    async findById(id) {
      if (!isUuid(id)) return null;
      const row = await prisma.user.findUnique({ where: { id } });
      if (!row) return null;
      const { accountId, email, name } = row;
      // text + CHECK in the table: Prisma types the role as string.
      const role = row.role as UserRole;
      return { id, accountId, email, name, role, createdAt: row.createdAt.toISOString() };
    },
  };
  return translateErrors(repository, describeDataError);
}
