import type { User } from '@backend-path/shared/domain/users';

/**
 * How the app finds the user a request names. Since stage 03 the users are rows of the `users`
 * table (users.repository.pg.ts; `pnpm db:seed` stores the fixture users there).
 */
export interface UserLookup {
  findById(id: string): Promise<User | null>;
}
