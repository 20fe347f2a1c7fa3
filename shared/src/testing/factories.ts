import { randomUUID } from 'node:crypto';
import type { Comment } from '../domain/comments.ts';
import type { CreateTicketInput, Ticket } from '../domain/tickets.ts';
import type { User } from '../domain/users.ts';
import { FIXTURE_ACCOUNTS, FIXTURE_USERS } from '../seed/fixtures.ts';

// Test data with valid defaults: a test overrides only the fields its behaviour is about.
// The counter makes subjects and e-mails unique, so two rows built in one test never clash.

let sequence = 0;
// Each vitest worker has its own counter: the token keeps e-mails unique across workers that
// share a database, should a stage make users.email unique.
const WORKER_TOKEN = randomUUID().slice(0, 8);
const nextNumber = (): number => ++sequence;
const now = (): string => new Date().toISOString();

export function buildCreateTicketInput(
  overrides: Partial<CreateTicketInput> = {},
): CreateTicketInput {
  const n = nextNumber();
  return {
    subject: `Test ticket ${n}`,
    description: `Description of test ticket ${n}.`,
    priority: 'medium',
    ...overrides,
  };
}

/** An open ticket in acme, by alice. A resolved or closed status gets a resolvedAt unless given. */
export function buildTicket(overrides: Partial<Ticket> = {}): Ticket {
  const n = nextNumber();
  const timestamp = now();
  const status = overrides.status ?? 'open';
  return {
    id: randomUUID(),
    accountId: FIXTURE_ACCOUNTS.acme.id,
    subject: `Test ticket ${n}`,
    description: `Description of test ticket ${n}.`,
    priority: 'medium',
    status,
    createdBy: FIXTURE_USERS.alice.id,
    assigneeId: null,
    createdAt: timestamp,
    updatedAt: timestamp,
    resolvedAt: status === 'resolved' || status === 'closed' ? timestamp : null,
    ...overrides,
  };
}

/** A comment by alice; pass the `ticketId` of a ticket that exists when the row is stored. */
export function buildComment(overrides: Partial<Comment> = {}): Comment {
  return {
    id: randomUUID(),
    ticketId: randomUUID(),
    authorId: FIXTURE_USERS.alice.id,
    body: `Test comment ${nextNumber()}`,
    createdAt: now(),
    ...overrides,
  };
}

/** A customer of acme. */
export function buildUser(overrides: Partial<User> = {}): User {
  const n = nextNumber();
  return {
    id: randomUUID(),
    accountId: FIXTURE_ACCOUNTS.acme.id,
    email: `test-user-${n}-${WORKER_TOKEN}@acme.test`,
    name: `Test User ${n}`,
    role: 'customer',
    createdAt: now(),
    ...overrides,
  };
}
