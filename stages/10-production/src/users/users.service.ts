import type { User } from '@backend-path/shared/domain/users';
import type { CredentialsRepository } from '../auth/credentials.repository.pg.ts';
import type { PasswordHasher } from '../auth/passwords.ts';
import { NotFoundError } from '../errors.ts';
import type { NewUserFields } from './users.schemas.ts';

export interface UserService {
  /** An agent or a customer, in the admin's own account (authorize('admin') runs first). */
  create(admin: User, fields: NewUserFields): Promise<User>;
  get(caller: User, id: string): Promise<User>;
}

export function createUserService(
  credentials: CredentialsRepository,
  passwords: PasswordHasher,
): UserService {
  return {
    async create(admin, { password, ...fields }) {
      const passwordHash = await passwords.hash(password);
      // accountId comes from the admin's token-verified row, never from the body.
      return credentials.createUser({ ...fields, accountId: admin.accountId, passwordHash });
    },

    // Staff see their account's people; a customer sees only themself. Anyone else: 404.
    async get(caller, id) {
      const found = await credentials.findById(id);
      const visible =
        found !== null &&
        found.user.accountId === caller.accountId &&
        (caller.role !== 'customer' || found.user.id === caller.id);
      if (!found || !visible) throw new NotFoundError(`User ${id} does not exist.`);
      return found.user;
    },
  };
}
