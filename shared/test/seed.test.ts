import { describe, expect, it } from 'vitest';
import {
  TICKET_LIMITS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type Ticket,
} from '../src/domain/tickets.ts';
import type { User } from '../src/domain/users.ts';
import {
  generateComments,
  generateDataset,
  generateTickets,
  generateUsers,
} from '../src/seed/generator.ts';
import { iso } from '../src/seed/people.ts';
import { createRandom } from '../src/seed/random.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SMALL = { seed: 7, accounts: 10, usersPerAccount: 8, tickets: 20_000 };

function take<T>(rows: Iterable<T>, n: number): T[] {
  const taken: T[] = [];
  for (const row of rows) {
    if (taken.length === n) break;
    taken.push(row);
  }
  return taken;
}

/** Every way a generated ticket could break the domain's rules, as readable strings. */
function ticketProblems(ticket: Ticket, usersById: Map<string, User>): string[] {
  const problems: string[] = [];
  const creator = usersById.get(ticket.createdBy);
  const assignee = ticket.assigneeId === null ? null : usersById.get(ticket.assigneeId);
  const done = ticket.status === 'resolved' || ticket.status === 'closed';
  if (!TICKET_STATUSES.includes(ticket.status)) problems.push('status');
  if (!TICKET_PRIORITIES.includes(ticket.priority)) problems.push('priority');
  if (ticket.subject.length === 0 || ticket.subject.length > TICKET_LIMITS.subjectMaxLength) {
    problems.push('subject length');
  }
  if (ticket.description.length > TICKET_LIMITS.descriptionMaxLength) problems.push('description');
  if (creator?.accountId !== ticket.accountId || creator.role !== 'customer')
    problems.push('creator');
  if (
    assignee !== null &&
    (assignee?.accountId !== ticket.accountId || assignee.role !== 'agent')
  ) {
    problems.push('assignee');
  }
  if (ticket.updatedAt < ticket.createdAt) problems.push('updatedAt before createdAt');
  if (done !== (ticket.resolvedAt !== null)) problems.push('resolvedAt iff resolved/closed');
  if (ticket.resolvedAt !== null && ticket.resolvedAt < ticket.createdAt)
    problems.push('resolvedAt');
  if (new Date(ticket.createdAt).toISOString() !== ticket.createdAt)
    problems.push('createdAt format');
  return problems;
}

describe('createRandom', () => {
  it('When two generators share a seed, then they produce the same sequence', () => {
    const a = createRandom(42);
    const b = createRandom(42);

    expect(Array.from({ length: 100 }, () => a.next())).toEqual(
      Array.from({ length: 100 }, () => b.next()),
    );
  });

  it('When the seeds (or streams) differ, then the sequences differ', () => {
    const first = createRandom(42).uuid();

    expect(createRandom(43).uuid()).not.toBe(first);
    expect(createRandom(42, 'comments').uuid()).not.toBe(first);
  });

  it('When numbers are drawn, then they stay in range and reach both ends of an int range', () => {
    const random = createRandom(1);
    const floats = Array.from({ length: 10_000 }, () => random.next());
    const ints = new Set(Array.from({ length: 10_000 }, () => random.int(-2, 2)));
    const from = new Date('2024-01-01T00:00:00Z');
    const to = new Date('2024-01-02T00:00:00Z');
    const dates = Array.from({ length: 1000 }, () => random.date(from, to));

    expect(floats.every((x) => x >= 0 && x < 1)).toBe(true);
    expect([...ints].sort((x, y) => x - y)).toEqual([-2, -1, 0, 1, 2]);
    expect(dates.every((d) => d >= from && d < to)).toBe(true);
  });

  it('When weighted() gets a zero weight, then that value is never picked', () => {
    const random = createRandom(3);
    const entries = [
      ['never', 0],
      ['rare', 1],
      ['common', 9],
    ] as const;
    const picks = Array.from({ length: 10_000 }, () => random.weighted(entries));

    expect(picks).not.toContain('never');
    expect(picks.filter((p) => p === 'common').length).toBeGreaterThan(8500);
  });

  it('When uuid() is called, then it returns a version 4, variant 1 UUID', () => {
    const random = createRandom(5);

    for (let i = 0; i < 1000; i++) expect(random.uuid()).toMatch(UUID_V4);
  });
});

describe('iso', () => {
  it('When a time is formatted, then the text equals Date#toISOString', () => {
    const random = createRandom(11);
    const edges = [0, -1, 1.9, -1.9, Date.parse('2024-02-29T23:59:59.999Z'), 253_402_300_800_000];
    const times = [...edges, ...Array.from({ length: 20_000 }, () => random.int(-2e12, 4e12))];

    expect(times.filter((t) => iso(t) !== new Date(t).toISOString())).toEqual([]);
  });
});

describe('generateTickets', () => {
  it('When the same seed is used twice, then the first rows are identical', () => {
    const first = generateDataset(SMALL);
    const second = generateDataset(SMALL);

    expect(second.accounts).toEqual(first.accounts);
    expect(second.users).toEqual(first.users);
    expect(take(second.tickets, 500)).toEqual(take(first.tickets, 500));
    expect(take(first.tickets, 500)).toEqual(take(first.tickets, 500)); // re-iterable
  });

  it('When the seed differs, then the rows differ', () => {
    const first = take(generateDataset(SMALL).tickets, 50);
    const other = take(generateDataset({ ...SMALL, seed: 8 }).tickets, 50);

    expect(other.map((t) => t.id)).not.toEqual(first.map((t) => t.id));
    expect(other.map((t) => t.subject)).not.toEqual(first.map((t) => t.subject));
  });

  it('When tickets are generated, then every one satisfies the domain rules', () => {
    const { users, tickets } = generateDataset(SMALL);
    const usersById = new Map(users.map((u) => [u.id, u]));
    const broken: string[] = [];

    for (const ticket of tickets) {
      const problems = ticketProblems(ticket, usersById);
      if (problems.length > 0) broken.push(`${ticket.id}: ${problems.join(', ')}`);
    }

    expect(broken.slice(0, 5)).toEqual([]);
  });

  it('When 50k tickets are generated, then their ids are valid and unique', () => {
    const ids = new Set<string>();
    let invalid = 0;

    for (const ticket of generateDataset({ ...SMALL, tickets: 50_000 }).tickets) {
      if (!UUID_V4.test(ticket.id)) invalid++;
      ids.add(ticket.id);
    }

    expect(invalid).toBe(0);
    expect(ids.size).toBe(50_000);
  });

  it('When a window is given, then createdAt grows with the row index inside it', () => {
    const { accounts, users } = generateDataset(SMALL);
    const from = '2025-03-01T00:00:00.000Z';
    const to = '2025-04-01T00:00:00.000Z';
    const rows = [...generateTickets({ seed: 1, count: 5000, accounts, users, from, to })];

    expect(rows[0]?.createdAt.slice(0, 10)).toBe('2025-03-01');
    expect(rows.at(-1)?.createdAt.slice(0, 10)).toBe('2025-03-31');
    expect(rows.every((t, i) => i === 0 || t.createdAt >= (rows[i - 1]?.createdAt ?? ''))).toBe(
      true,
    );
    expect(rows.every((t) => t.updatedAt <= to && (t.resolvedAt ?? from) <= to)).toBe(true);
  });

  it('When counting statuses, then most tickets are done and one account’s open ones are few', () => {
    const { accounts, tickets } = generateDataset(SMALL);
    const count = (predicate: (t: Ticket) => boolean) => [...tickets].filter(predicate).length;
    const total = SMALL.tickets;

    const done = count((t) => t.status === 'resolved' || t.status === 'closed');
    const openInOneAccount = count((t) => t.status === 'open' && t.accountId === accounts[0]?.id);
    const lowOrMedium = count((t) => t.priority === 'low' || t.priority === 'medium');

    expect(done / total).toBeGreaterThan(0.85);
    expect(openInOneAccount).toBeGreaterThan(0);
    expect(openInOneAccount / total).toBeLessThan(0.01);
    expect(lowOrMedium / total).toBeGreaterThan(0.7);
  });

  it('When 200k tickets are streamed without keeping them, then the heap grows by < 50 MB', () => {
    const before = process.memoryUsage().heapUsed;
    const { tickets } = generateDataset({ ...SMALL, tickets: 200_000 });
    let seen = 0;
    let subjectChars = 0;

    for (const ticket of tickets) {
      seen++;
      subjectChars += ticket.subject.length;
    }
    const grownMb = (process.memoryUsage().heapUsed - before) / 1024 / 1024;

    expect(seen).toBe(200_000);
    expect(subjectChars).toBeGreaterThan(0);
    expect(grownMb).toBeLessThan(50);
  });
});

describe('generateUsers', () => {
  it('When users are generated, then each account has a customer, an agent and an admin', () => {
    const { accounts, users } = generateDataset(SMALL);

    for (const account of accounts) {
      const roles = new Set(users.filter((u) => u.accountId === account.id).map((u) => u.role));
      expect([...roles].sort()).toEqual(['admin', 'agent', 'customer']);
    }
    expect(new Set(users.map((u) => u.email)).size).toBe(users.length);
    expect(users.every((u) => UUID_V4.test(u.id))).toBe(true);
  });

  it('When an account has a single user, then its tickets are never assigned', () => {
    const { accounts } = generateDataset(SMALL);
    const users = [...generateUsers({ seed: 1, accounts, perAccount: 1 })];

    const tickets = [...generateTickets({ seed: 1, count: 500, accounts, users })];

    expect(tickets.every((t) => t.assigneeId === null)).toBe(true);
  });
});

describe('generateComments', () => {
  it('When comments are generated, then they fit their ticket and its account', () => {
    const { users, tickets } = generateDataset({ ...SMALL, tickets: 2000 });
    const ticketsById = new Map([...tickets].map((t) => [t.id, t]));
    const usersById = new Map(users.map((u) => [u.id, u]));
    const perTicket = new Map<string, number>();
    const commentIds = new Set<string>();
    let previous = { ticketId: '', createdAt: '' };

    for (const comment of generateComments({
      seed: 7,
      tickets,
      users,
      perTicket: { min: 1, max: 4 },
    })) {
      const ticket = ticketsById.get(comment.ticketId);
      const author = usersById.get(comment.authorId);
      expect(ticket).toBeDefined();
      expect(author?.accountId).toBe(ticket?.accountId);
      expect(comment.authorId === ticket?.createdBy || author?.role === 'agent').toBe(true);
      expect(comment.createdAt >= (ticket?.createdAt ?? '')).toBe(true);
      expect(comment.createdAt <= (ticket?.updatedAt ?? '')).toBe(true);
      if (previous.ticketId === comment.ticketId) {
        expect(comment.createdAt >= previous.createdAt).toBe(true);
      }
      expect(comment.id).toMatch(UUID_V4);
      expect(ticketsById.has(comment.id)).toBe(false);
      commentIds.add(comment.id);
      perTicket.set(comment.ticketId, (perTicket.get(comment.ticketId) ?? 0) + 1);
      previous = comment;
    }

    const counts = [...perTicket.values()];
    expect(perTicket.size).toBe(2000);
    expect(Math.min(...counts)).toBe(1);
    expect(Math.max(...counts)).toBe(4);
    expect(commentIds.size).toBe(counts.reduce((sum, n) => sum + n, 0));
  });
});
