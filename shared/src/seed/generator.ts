import type { Account } from '../domain/accounts.ts';
import type { Comment } from '../domain/comments.ts';
import type { Ticket, TicketPriority, TicketStatus } from '../domain/tickets.ts';
import type { User } from '../domain/users.ts';
import {
  assertCount,
  DAY,
  DEFAULT_START,
  generateAccounts,
  generateUsers,
  iso,
  ms,
  type People,
  peopleByAccount,
  type When,
} from './people.ts';
import { createRandom } from './random.ts';
import * as words from './words.ts';

// Seedable fake data at any scale. Every generator is a `function*`: rows are made one at a
// time, so a loader can stream a million tickets into a database in constant memory.
// Same options (seed included) → identical rows, in the same order.

export { generateAccounts, generateUsers };

/** Tickets are spread over these two years unless `from`/`to` say otherwise. */
export const DEFAULT_TICKET_WINDOW = { from: DEFAULT_START, to: '2026-01-01T00:00:00Z' };

// Mostly low/medium; mostly resolved/closed, so one account's open tickets are a small slice
// of the table (stage 03's index lab needs that selectivity).
const PRIORITY_WEIGHTS = pairs<TicketPriority>({ low: 45, medium: 35, high: 15, critical: 5 });
const STATUS_WEIGHTS = pairs<TicketStatus>({ open: 4, pending: 4, resolved: 30, closed: 62 });

function pairs<T extends string>(weights: Record<T, number>): [T, number][] {
  return Object.entries(weights) as [T, number][];
}

export interface TicketOptions {
  seed: number;
  count: number;
  /** Each ticket goes to one of these accounts (uniformly), opened by one of its customers. */
  accounts: readonly Account[];
  users: readonly User[];
  from?: When;
  to?: When;
}

/** createdAt grows with the row index, as in a real append-only table (jittered within its slot). */
export function* generateTickets(options: TicketOptions): Generator<Ticket> {
  assertCount('count', options.count);
  const r = createRandom(options.seed, 'tickets');
  const people = peopleByAccount(options.users);
  const pools = options.accounts
    .map((account) => ({ accountId: account.id, ...people.get(account.id) }))
    .filter((pool): pool is People & { accountId: string } => (pool.customers?.length ?? 0) > 0);
  if (pools.length === 0 && options.count > 0) throw new RangeError('no account has a customer');
  const from = ms(options.from ?? DEFAULT_TICKET_WINDOW.from);
  const to = ms(options.to ?? DEFAULT_TICKET_WINDOW.to);
  if (!(from < to)) throw new RangeError('from must be before to');
  const slot = (to - from) / options.count;
  for (let i = 0; i < options.count; i++) {
    const pool = r.pick(pools);
    const status = r.weighted(STATUS_WEIGHTS);
    const created = Math.floor(from + (i + r.next()) * slot);
    const done = status === 'resolved' || status === 'closed';
    // Capped at `to`: nothing happens after the window (and created < to keeps the order).
    const resolved = done ? Math.min(to, created + r.int(10 * 60_000, 14 * DAY)) : null;
    const updated = status === 'resolved' ? resolved : (resolved ?? created) + r.int(0, 3 * DAY);
    const assigned = pool.agents.length > 0 && r.next() < (status === 'open' ? 0.4 : 0.9);
    yield {
      id: r.uuid(),
      accountId: pool.accountId,
      subject: words.ticketSubject(r),
      description: words.ticketDescription(r),
      priority: r.weighted(PRIORITY_WEIGHTS),
      status,
      createdBy: r.pick(pool.customers),
      assigneeId: assigned ? r.pick(pool.agents) : null,
      createdAt: iso(created),
      updatedAt: iso(Math.min(to, updated ?? created)),
      resolvedAt: resolved === null ? null : iso(resolved),
    };
  }
}

export interface CommentOptions {
  seed: number;
  /** To stream both tables, pass a second `generateTickets(sameOptions)`: it yields the same rows. */
  tickets: Iterable<Ticket>;
  users: readonly User[];
  perTicket: { min: number; max: number };
}

/** Between a ticket's createdAt and updatedAt, in time order, by its creator or an agent. */
export function* generateComments(options: CommentOptions): Generator<Comment> {
  const r = createRandom(options.seed, 'comments');
  const people = peopleByAccount(options.users);
  for (const ticket of options.tickets) {
    const count = r.int(options.perTicket.min, options.perTicket.max);
    const start = ms(ticket.createdAt);
    const span = ms(ticket.updatedAt) - start;
    const agents = people.get(ticket.accountId)?.agents ?? [];
    const agent = ticket.assigneeId ?? (agents.length > 0 ? r.pick(agents) : null);
    for (let k = 0; k < count; k++) {
      const byAgent = agent !== null && r.next() < 0.5;
      yield {
        id: r.uuid(),
        ticketId: ticket.id,
        authorId: byAgent ? agent : ticket.createdBy,
        body: words.commentBody(r, byAgent),
        createdAt: iso(start + Math.floor((span * (k + r.next())) / count)),
      };
    }
  }
}

export interface DatasetOptions {
  seed: number;
  accounts: number;
  usersPerAccount: number;
  tickets: number;
  from?: When;
  to?: When;
}

export interface Dataset {
  accounts: Account[];
  users: User[];
  /** Lazy and re-iterable: every iteration regenerates the same tickets. */
  tickets: Iterable<Ticket>;
}

export function generateDataset(options: DatasetOptions): Dataset {
  const { seed, from, to } = options;
  const accounts = [...generateAccounts({ seed, count: options.accounts, before: from })];
  const users = [...generateUsers({ seed, accounts, perAccount: options.usersPerAccount })];
  const ticketOptions: TicketOptions = { seed, count: options.tickets, accounts, users, from, to };
  return { accounts, users, tickets: { [Symbol.iterator]: () => generateTickets(ticketOptions) } };
}
