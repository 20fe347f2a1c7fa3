import { randomUUID } from 'node:crypto';
import type { User } from '@backend-path/shared/domain/users';
import type { CredentialsRepository } from '../../src/auth/credentials.repository.pg.ts';
import type { UserLookup } from '../../src/users/users.lookup.ts';
import { alreadyTaken, type FakeStore, missingReference, outOfRange, stamp } from './store.ts';

/** users_password_hash_bcrypt (migrations/0007): only a bcrypt hash is ever stored. */
const BCRYPT_HASH = /^\$2[aby]\$\d\d\$.{53}$/;

// As createPgCredentialsRepository: e-mails unique without regard to case (users_email_key is
// on lower(email)), a new account and its admin together or not at all, token versions.
export function createFakeCredentialsRepository(store: FakeStore): CredentialsRepository {
  const copy = (found: { user: User; passwordHash: string | null; tokenVersion: number }) => ({
    ...found,
    user: { ...found.user },
  });
  function insert(user: Omit<User, 'id' | 'createdAt'>, passwordHash: string): User {
    const taken = [...store.users.values()].some(
      (other) => other.user.email.toLowerCase() === user.email.toLowerCase(),
    );
    if (taken) throw alreadyTaken('email');
    if (!BCRYPT_HASH.test(passwordHash)) throw outOfRange();
    if (!store.accounts.has(user.accountId)) throw missingReference();
    const created: User = { id: randomUUID(), ...user, createdAt: stamp(store) };
    store.users.set(created.id, { user: created, passwordHash, tokenVersion: 0 });
    return { ...created };
  }

  return {
    async findById(id) {
      const found = store.users.get(id);
      return found ? copy(found) : null;
    },
    async findByEmail(email) {
      const found = [...store.users.values()].find(
        (entry) => entry.user.email.toLowerCase() === email.toLowerCase(),
      );
      return found ? copy(found) : null;
    },
    async registerAccount(_accountName, { email, name, passwordHash }) {
      const accountId = randomUUID();
      store.accounts.add(accountId);
      try {
        return insert({ accountId, email, name, role: 'admin' }, passwordHash);
      } catch (error: unknown) {
        store.accounts.delete(accountId); // the transaction's rollback
        throw error;
      }
    },
    async createUser({ passwordHash, ...user }) {
      return insert(user, passwordHash);
    },
    async bumpTokenVersion(userId) {
      const found = store.users.get(userId);
      if (found) found.tokenVersion += 1;
    },
  };
}

/** users.repository.pg.ts's lookup over the same users. */
export function createFakeUserLookup(store: FakeStore): UserLookup {
  return {
    async findById(id) {
      const found = store.users.get(id);
      return found ? { ...found.user } : null;
    },
  };
}
