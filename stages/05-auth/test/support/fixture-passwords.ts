import { FIXTURE_PASSWORD, FIXTURE_USER_LIST } from '@backend-path/shared/seed/fixtures';
import bcrypt from 'bcrypt';
import type { DbPool } from '../../src/db/pool.ts';
import { TEST_BCRYPT_COST } from './helpers.ts';

let hash: Promise<string> | undefined;

/** Every fixture user logs in with FIXTURE_PASSWORD, as after `pnpm db:seed` (hashed once, at cost 4). */
export async function setFixturePasswords(db: DbPool): Promise<void> {
  hash ??= bcrypt.hash(FIXTURE_PASSWORD, TEST_BCRYPT_COST);
  await db.query('UPDATE users SET password_hash = $1 WHERE id = ANY($2::uuid[])', [
    await hash,
    FIXTURE_USER_LIST.map((u) => u.id),
  ]);
}
