import type { Account } from '../domain/accounts.ts';
import type { User } from '../domain/users.ts';

// Small, fixed data every stage can rely on: ids never change, so a learner can paste them
// into curl, and tests can name them. Two accounts, so stages can prove account scoping.
const CREATED_AT = '2026-01-01T09:00:00.000Z';

export const FIXTURE_ACCOUNTS = {
  acme: { id: '0a000000-0000-4000-8000-000000000001', name: 'Acme Corp', createdAt: CREATED_AT },
  globex: { id: '0a000000-0000-4000-8000-000000000002', name: 'Globex', createdAt: CREATED_AT },
} as const satisfies Record<string, Account>;

function user(id: string, account: Account, name: string, role: User['role']): User {
  const email = `${name.toLowerCase().replace(/ /g, '.')}@${account.name.split(' ')[0]?.toLowerCase()}.test`;
  return { id, accountId: account.id, email, name, role, createdAt: CREATED_AT };
}

export const FIXTURE_USERS = {
  alice: user(
    '0b000000-0000-4000-8000-000000000001',
    FIXTURE_ACCOUNTS.acme,
    'Alice Customer',
    'customer',
  ),
  bob: user('0b000000-0000-4000-8000-000000000002', FIXTURE_ACCOUNTS.acme, 'Bob Agent', 'agent'),
  carol: user(
    '0b000000-0000-4000-8000-000000000003',
    FIXTURE_ACCOUNTS.acme,
    'Carol Admin',
    'admin',
  ),
  dave: user(
    '0b000000-0000-4000-8000-000000000004',
    FIXTURE_ACCOUNTS.globex,
    'Dave Customer',
    'customer',
  ),
  erin: user(
    '0b000000-0000-4000-8000-000000000005',
    FIXTURE_ACCOUNTS.globex,
    'Erin Agent',
    'agent',
  ),
} as const satisfies Record<string, User>;

export const FIXTURE_ACCOUNT_LIST: readonly Account[] = Object.values(FIXTURE_ACCOUNTS);
export const FIXTURE_USER_LIST: readonly User[] = Object.values(FIXTURE_USERS);

/** Passwords exist from stage 05 on; every fixture user has this one in development. */
export const FIXTURE_PASSWORD = 'correct-horse-battery-staple';
