import { UserEntity } from '../db/typeorm/user.entity.ts';
import type { DataSource } from '../db/typeorm.ts';
import { isUuid } from '../tickets/tickets.ids.ts';
import type { UserLookup } from './users.lookup.ts';

/** users.repository.pg.ts with TypeORM: the caller behind X-User-Id. */
export function createTypeormUserRepository(dataSource: DataSource): UserLookup {
  const users = dataSource.getRepository(UserEntity);
  return {
    async findById(id) {
      if (!isUuid(id)) return null;
      const entity = await users.findOneBy({ id });
      if (!entity) return null;
      const { accountId, email, name, role } = entity;
      return { id, accountId, email, name, role, createdAt: entity.createdAt.toISOString() };
    },
  };
}
