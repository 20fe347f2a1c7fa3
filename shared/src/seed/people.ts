import type { Account } from '../domain/accounts.ts';
import type { User, UserRole } from '../domain/users.ts';
import { createRandom } from './random.ts';
import * as words from './words.ts';

// Generated accounts and users: small arrays (hundreds of rows), the owners of generated tickets.
// Also the helpers every generator shares. Public entry point: ./generator.ts.

export type When = Date | string;
export const DAY = 86_400_000;
/** Generated tickets start here by default; accounts and users exist before it. */
export const DEFAULT_START = '2024-01-01T00:00:00Z';

export const ms = (when: When): number =>
  typeof when === 'string' ? Date.parse(when) : when.getTime();

// Same output as Date#toISOString, ~6× faster: with three timestamps per ticket, toISOString
// was over half the time of a million-ticket run. Day prefixes are cached (~750 for 2 years).
const PAD2 = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
const dayPrefixes = new Map<number, string>();

export function iso(time: number): string {
  const whole = Math.trunc(time); // as Date does
  const day = Math.floor(whole / DAY);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY).toISOString().slice(0, 11); // "2024-01-31T"
    if (prefix[10] !== 'T') return new Date(whole).toISOString(); // years past 9999
    if (dayPrefixes.size < 100_000) dayPrefixes.set(day, prefix);
  }
  const t = whole - day * DAY;
  const [h, m, s] = [
    Math.floor(t / 3_600_000),
    Math.floor(t / 60_000) % 60,
    Math.floor(t / 1000) % 60,
  ];
  return `${prefix}${PAD2[h]}:${PAD2[m]}:${PAD2[s]}.${PAD3[t % 1000]}Z`;
}

export function assertCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name}: expected integer >= 0`);
}

export interface AccountOptions {
  seed: number;
  count: number;
  /** Accounts are created 6–12 months before this (default: DEFAULT_START). */
  before?: When;
}

export function* generateAccounts(options: AccountOptions): Generator<Account> {
  assertCount('count', options.count);
  const r = createRandom(options.seed, 'accounts');
  const before = ms(options.before ?? DEFAULT_START);
  const names = new Set<string>(); // users' e-mail domains come from names: keep them unique
  for (let i = 0; i < options.count; i++) {
    const base = `${r.pick(words.COMPANY_WORDS)} ${r.pick(words.COMPANY_SUFFIXES)}`;
    const name = names.has(base) ? `${base} ${i + 1}` : base;
    names.add(name);
    yield { id: r.uuid(), name, createdAt: iso(before - r.int(180 * DAY, 365 * DAY)) };
  }
}

export interface UserOptions {
  seed: number;
  accounts: readonly Account[];
  perAccount: number;
}

// Every account with 3+ users has each role; tickets need a customer, assignment needs an agent.
const FIRST_ROLES: readonly UserRole[] = ['customer', 'agent', 'admin'];

/** Per account: a customer, an agent, an admin, then customers and agents 3:1; each joins within 180 days. */
export function* generateUsers(options: UserOptions): Generator<User> {
  assertCount('perAccount', options.perAccount);
  const r = createRandom(options.seed, 'users');
  let ordinal = 0; // in every e-mail address, so namesakes never collide
  for (const account of options.accounts) {
    const domain = account.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    for (let i = 0; i < options.perAccount; i++) {
      const role = FIRST_ROLES[i] ?? (r.next() < 0.75 ? 'customer' : 'agent');
      const [first, last] = [r.pick(words.FIRST_NAMES), r.pick(words.LAST_NAMES)];
      const email = `${first}.${last}.${++ordinal}@${domain}.test`.toLowerCase();
      const createdAt = iso(ms(account.createdAt) + r.int(0, 180 * DAY));
      const name = `${first} ${last}`;
      yield { id: r.uuid(), accountId: account.id, email, name, role, createdAt };
    }
  }
}

export interface People {
  customers: string[];
  agents: string[];
}

/** User ids by account and role: who may open and who may be assigned an account's tickets. */
export function peopleByAccount(users: readonly User[]): Map<string, People> {
  const byAccount = new Map<string, People>();
  for (const user of users) {
    const people = byAccount.get(user.accountId) ?? { customers: [], agents: [] };
    byAccount.set(user.accountId, people);
    if (user.role === 'customer') people.customers.push(user.id);
    if (user.role === 'agent') people.agents.push(user.id);
  }
  return byAccount;
}
