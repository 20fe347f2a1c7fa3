import type { Activity } from '@backend-path/shared/domain/activity';
import type { Comment } from '@backend-path/shared/domain/comments';
import type { Ticket } from '@backend-path/shared/domain/tickets';
import type { User } from '@backend-path/shared/domain/users';
import { AppError } from '../../src/errors.ts';

/** What the fakes share, as the tables share one database: comments point at tickets, etc. */
export interface FakeStore {
  now: () => Date;
  tickets: Map<string, Ticket>;
  comments: Map<string, Comment>;
  activity: Activity[];
  users: Map<string, { user: User; passwordHash: string | null; tokenVersion: number }>;
  accounts: Set<string>;
}

/** The fixture users (and their accounts) stored, as test/support/setup.ts stores them in PostgreSQL. */
export function createFakeStore(options: { users?: readonly User[]; now?: () => Date } = {}) {
  const store: FakeStore = {
    now: options.now ?? (() => new Date()),
    tickets: new Map(),
    comments: new Map(),
    activity: [],
    users: new Map(),
    accounts: new Set(),
  };
  for (const user of options.users ?? []) {
    store.users.set(user.id, { user: { ...user }, passwordHash: null, tokenVersion: 0 });
    store.accounts.add(user.accountId);
  }
  return store;
}

// The errors PostgreSQL's constraints raise, as src/db/pg-errors.ts translates them: a fake
// that threw something else would let a unit test pass on behaviour production never has.

/** A foreign key to a missing row (23503); `field` when pg-errors.ts maps the constraint. */
export function missingReference(field?: string): AppError {
  const fields = field === undefined ? undefined : { [field]: 'does not exist' };
  return new AppError(422, 'VALIDATION_FAILED', 'A referenced resource does not exist.', {
    fields,
  });
}

/** A unique index (23505 on users_email_key). */
export function alreadyTaken(field: string): AppError {
  return new AppError(409, 'CONFLICT', 'A resource with these values already exists.', {
    fields: { [field]: 'is already taken' },
  });
}

/** A CHECK constraint (23514): on `field` where pg-errors.ts maps it (tickets_priority_valid),
 * unmapped otherwise (users_password_hash_bcrypt, say). */
export function outOfRange(field?: string): AppError {
  const fields = field === undefined ? undefined : { [field]: 'is not allowed' };
  return new AppError(422, 'VALIDATION_FAILED', 'A value is outside its allowed range.', {
    fields,
  });
}

/** A timestamp as the database stores it: timestamptz(3), milliseconds, ISO 8601 in UTC. */
export function stamp(store: FakeStore): string {
  return store.now().toISOString();
}

/** Newest first, ties by id: ORDER BY created_at DESC, id DESC (uuids compare as their hex). */
export function newestFirst(a: { createdAt: string; id: string }, b: typeof a): number {
  return b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
}

/** Oldest first, ties by id: ORDER BY created_at, id. */
export function oldestFirst(a: { createdAt: string; id: string }, b: typeof a): number {
  return -newestFirst(a, b);
}
