import type { User } from '@backend-path/shared/domain/users';
import { FIXTURE_USER_LIST } from '@backend-path/shared/seed/fixtures';

/** How the app finds the user a request names. Stage 05 finds them in the database instead. */
export interface UserLookup {
  findById(id: string): Promise<User | null>;
}

/** The users of `shared/src/seed/fixtures.ts`: alice, bob, carol (acme), dave, erin (globex). */
export function createFixtureUserLookup(users: readonly User[] = FIXTURE_USER_LIST): UserLookup {
  const byId = new Map(users.map((user) => [user.id, user]));
  return {
    async findById(id) {
      return byId.get(id) ?? null;
    },
  };
}
