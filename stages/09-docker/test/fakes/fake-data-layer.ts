import type { User } from '@backend-path/shared/domain/users';
import { FIXTURE_USER_LIST } from '@backend-path/shared/seed/fixtures';
import { createFakeCommentRepository } from './comments.repository.fake.ts';
import {
  createFakeCredentialsRepository,
  createFakeUserLookup,
} from './credentials.repository.fake.ts';
import { createFakeRedis } from './redis.fake.ts';
import { createFakeStore } from './store.ts';
import { createFakeTicketRepository } from './tickets.repository.fake.ts';

/**
 * Every fake repository over one store, starting where each integration test starts
 * (test/support/setup.ts): the fixture accounts and users, nothing else. `now` is the database's
 * clock (a fake clock in unit tests). `redis` serves the cache and the rate limiters' store
 * (src/cache, src/middleware/rate-limit.ts) in memory, its keys expiring on the same clock.
 */
export function createFakeDataLayer(options: { users?: readonly User[]; now?: () => Date } = {}) {
  const store = createFakeStore({ users: options.users ?? FIXTURE_USER_LIST, now: options.now });
  return {
    store,
    tickets: createFakeTicketRepository(store),
    comments: createFakeCommentRepository(store),
    credentials: createFakeCredentialsRepository(store),
    users: createFakeUserLookup(store),
    redis: createFakeRedis({ now: () => store.now().getTime() }),
  };
}
