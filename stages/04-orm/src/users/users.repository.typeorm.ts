import { describeDataError } from '../db/orm-errors.ts';
import { translateErrors } from '../db/translate-errors.ts';
import { UserEntity } from '../db/typeorm/user.entity.ts';
import type { DataSource } from '../db/typeorm.ts';
import { isUuid } from '../tickets/tickets.ids.ts';
import type { UserLookup } from './users.lookup.ts';

/** users.repository.pg.ts with TypeORM: the caller behind X-User-Id. */
export function createTypeormUserRepository(dataSource: DataSource): UserLookup {
  const users = dataSource.getRepository(UserEntity);
  const repository: UserLookup = {
    async findById(id) {
      if (!isUuid(id)) return null;
      const entity = await users.findOneBy({ id });
      if (!entity) return null;
      const { accountId, email, name, role } = entity;
      return { id, accountId, email, name, role, createdAt: entity.createdAt.toISOString() };
    },
  };
  return translateErrors(repository, describeDataError);
}
