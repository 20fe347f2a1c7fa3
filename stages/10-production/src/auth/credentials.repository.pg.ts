import type { User, UserRole } from '@backend-path/shared/domain/users';
import { describeDbError } from '../db/pg-errors.ts';
import type { DbPool } from '../db/pool.ts';
import { withTransaction } from '../db/transaction.ts';
import { translateErrors } from '../db/translate-errors.ts';
import { isUuid } from '../tickets/tickets.ids.ts';

/** A user with what only authentication may see: never sent to a client, never logged. */
export interface Credentials {
  user: User;
  passwordHash: string | null;
  tokenVersion: number;
}

export interface NewUser {
  accountId: string;
  email: string;
  name: string;
  role: UserRole;
  passwordHash: string;
}

export interface CredentialsRepository {
  findById(id: string): Promise<Credentials | null>;
  /** Case-insensitive, as the unique index users_email_key is. */
  findByEmail(email: string): Promise<Credentials | null>;
  /** A new account and its first user, its admin: both rows or neither. */
  registerAccount(accountName: string, admin: Omit<NewUser, 'accountId' | 'role'>): Promise<User>;
  createUser(user: NewUser): Promise<User>;
  /** Revokes every token issued so far: they carry the old version. */
  bumpTokenVersion(userId: string): Promise<void>;
}

interface CredentialsRow {
  id: string;
  account_id: string;
  email: string;
  name: string;
  role: UserRole;
  created_at: Date;
  password_hash: string | null;
  token_version: number;
}

const COLUMNS = 'id, account_id, email, name, role, created_at, password_hash, token_version';

function toCredentials(row: CredentialsRow): Credentials {
  return {
    user: {
      id: row.id,
      accountId: row.account_id,
      email: row.email,
      name: row.name,
      role: row.role,
      createdAt: row.created_at.toISOString(),
    },
    passwordHash: row.password_hash,
    tokenVersion: row.token_version,
  };
}

const INSERT_USER = `INSERT INTO users (account_id, email, name, role, password_hash)
  VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`;

export function createPgCredentialsRepository(pool: DbPool): CredentialsRepository {
  async function one(text: string, values: unknown[]): Promise<Credentials | null> {
    const { rows } = await pool.query<CredentialsRow>(text, values);
    return rows[0] ? toCredentials(rows[0]) : null;
  }

  const repository: CredentialsRepository = {
    async findById(id) {
      if (!isUuid(id)) return null;
      return one(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    },

    async findByEmail(email) {
      return one(`SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`, [email]);
    },

    // Two registrations with one e-mail at the same instant: the unique index lets one INSERT
    // through and fails the other (23505 → 409), whose account row is rolled back with it.
    async registerAccount(accountName, admin) {
      return withTransaction(pool, async (client) => {
        const account = await client.query<{ id: string }>(
          'INSERT INTO accounts (name) VALUES ($1) RETURNING id',
          [accountName],
        );
        const accountId = account.rows[0]?.id;
        const { rows } = await client.query<CredentialsRow>(INSERT_USER, [
          accountId,
          admin.email,
          admin.name,
          'admin',
          admin.passwordHash,
        ]);
        if (!rows[0]) throw new Error('INSERT … RETURNING returned no row');
        return toCredentials(rows[0]).user;
      });
    },

    async createUser(user) {
      const created = await one(INSERT_USER, [
        user.accountId,
        user.email,
        user.name,
        user.role,
        user.passwordHash,
      ]);
      if (!created) throw new Error('INSERT … RETURNING returned no row');
      return created.user;
    },

    async bumpTokenVersion(userId) {
      await pool.query('UPDATE users SET token_version = token_version + 1 WHERE id = $1', [
        userId,
      ]);
    },
  };
  return translateErrors(repository, describeDbError);
}
