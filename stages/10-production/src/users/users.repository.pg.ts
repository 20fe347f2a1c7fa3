import type { UserRole } from '@backend-path/shared/domain/users';
import { describeDbError } from '../db/pg-errors.ts';
import type { DbPool } from '../db/pool.ts';
import { translateErrors } from '../db/translate-errors.ts';
import { isUuid } from '../tickets/tickets.ids.ts';
import type { UserLookup } from './users.lookup.ts';

interface UserRow {
  id: string;
  account_id: string;
  email: string;
  name: string;
  role: UserRole;
  created_at: Date;
}

/** A user by id, read from the `users` table (the service checks assignees with it). */
export function createPgUserRepository(pool: DbPool): UserLookup {
  const repository: UserLookup = {
    async findById(id) {
      // `alice` names nobody: null without a round trip (and without a 22P02 error).
      if (!isUuid(id)) return null;
      const { rows } = await pool.query<UserRow>(
        'SELECT id, account_id, email, name, role, created_at FROM users WHERE id = $1',
        [id],
      );
      const row = rows[0];
      if (!row) return null;
      return {
        id: row.id,
        accountId: row.account_id,
        email: row.email,
        name: row.name,
        role: row.role,
        createdAt: row.created_at.toISOString(),
      };
    },
  };
  return translateErrors(repository, describeDbError);
}
