import { FIXTURE_ACCOUNTS, FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { buildTicket } from '@backend-path/shared/testing/factories';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BusinessRuleError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../src/errors.ts';
import {
  createTicketService,
  MAX_OPEN_TICKETS_PER_USER,
} from '../../src/tickets/tickets.service.ts';
import { createFakeDataLayer } from '../fakes/fake-data-layer.ts';

// Unit tests of the ticket rules on the honest fakes (test/contract/ proves they behave as the
// pg repositories do) and a fake clock: no socket, no database, each test a few milliseconds.
const { alice, bob, carol, dave, erin } = FIXTURE_USERS;
const T0 = new Date('2026-03-01T09:00:00.000Z');

function setup() {
  const layer = createFakeDataLayer();
  const service = createTicketService(layer.tickets, layer.users);
  /** A ticket stored directly, created at T0 by `createdBy` (alice unless said). */
  function stored(overrides: Parameters<typeof buildTicket>[0] = {}) {
    const ticket = buildTicket({
      createdAt: T0.toISOString(),
      updatedAt: T0.toISOString(),
      ...overrides,
    });
    layer.tickets.seed(ticket);
    return ticket;
  }
  return { ...layer, service, stored };
}
const fields = {
  subject: 'Printer on fire',
  description: '',
  priority: 'medium' as const,
  assigneeId: null,
};

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('TicketService: who sees what (BOLA)', () => {
  it('When a customer asks for another customer’s ticket of the same account, then NotFound, as for a missing one', async () => {
    const { service, stored } = setup();
    const carolsOwn = stored({ createdBy: carol.id });

    await expect(service.get(carolsOwn.id, alice)).rejects.toThrow(
      new NotFoundError(`Ticket ${carolsOwn.id} does not exist.`),
    );
    await expect(service.get(carolsOwn.id, bob)).resolves.toEqual(carolsOwn);
  });

  it('When staff of another account act on a ticket, then NotFound for get, update, resolve and remove, and nothing changes', async () => {
    const { service, stored, tickets } = setup();
    const acmes = stored();

    for (const attempt of [
      service.get(acmes.id, erin),
      service.update(acmes.id, { subject: 'mine now' }, erin),
      service.resolve(acmes.id, erin),
      service.remove(acmes.id, erin),
    ]) {
      await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
    }
    expect(await tickets.findById(acmes.id)).toEqual(acmes);
    expect(tickets.activityOf(acmes.id)).toEqual([]);
  });

  it('When lists are asked for, then staff see their account’s tickets, a customer only their own', async () => {
    const { service, stored } = setup();
    const alices = stored({ createdBy: alice.id });
    const carols = stored({ createdBy: carol.id });
    stored({ accountId: FIXTURE_ACCOUNTS.globex.id, createdBy: dave.id });
    const query = { page: 1, pageSize: 10 };

    const asAlice = await service.list(query, alice);
    const asBob = await service.list(query, bob);
    const withComments = await service.listWithComments(query, alice);

    expect(asAlice).toEqual({ items: [alices], total: 1, totalExact: true, hasMore: false });
    expect(asBob.items.map((t) => t.id).sort()).toEqual([alices.id, carols.id].sort());
    expect(withComments.items.map((t) => t.id)).toEqual([alices.id]);
  });
});

describe('TicketService: assigning', () => {
  it('When a customer names an assignee, then Forbidden and nothing is stored', async () => {
    const { service, tickets } = setup();

    await expect(service.create(alice, { ...fields, assigneeId: bob.id })).rejects.toThrow(
      new ForbiddenError('Only agents and admins assign.'),
    );
    await expect(service.create(alice, { ...fields, assigneeId: bob.id })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect(await tickets.countOpenByCreator(alice.id)).toBe(0);
  });

  it.each([
    ['an admin', carol.id],
    ['an agent of another account', erin.id],
    ['nobody', '0b000000-0000-4000-8000-00000000dead'],
  ])('When staff assign to %s, then ValidationError on assigneeId', async (_who, assigneeId) => {
    const { service, stored } = setup();
    const ticket = stored();

    const attempt = service.update(ticket.id, { assigneeId }, carol);

    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toMatchObject({
      fields: { assigneeId: 'Assignee must be an agent of your account.' },
    });
  });

  it('When staff assign an agent of their account, or clear the assignee, then it is stored', async () => {
    const { service, stored } = setup();
    const ticket = stored();

    await expect(service.update(ticket.id, { assigneeId: bob.id }, carol)).resolves.toMatchObject({
      assigneeId: bob.id,
    });
    await expect(service.update(ticket.id, { assigneeId: null }, carol)).resolves.toMatchObject({
      assigneeId: null,
    });
  });
});

describe('TicketService: the clock', () => {
  it('When a ticket is created and resolved later, then its timestamps are the clock’s at each step', async () => {
    const { service } = setup();

    const created = await service.create(alice, fields);
    vi.advanceTimersByTime(90_000);
    const resolved = await service.resolve(created.id, bob);

    expect(created).toMatchObject({
      createdAt: '2026-03-01T09:00:00.000Z',
      updatedAt: '2026-03-01T09:00:00.000Z',
    });
    expect(resolved).toMatchObject({
      updatedAt: '2026-03-01T09:01:30.000Z',
      resolvedAt: '2026-03-01T09:01:30.000Z',
    });
  });
});

describe('TicketService: errors the client reads', () => {
  it('When the limit is reached, then the message names the count and the limit; reopening names the creator', async () => {
    const { service, stored } = setup();
    for (let i = 0; i < MAX_OPEN_TICKETS_PER_USER; i++) stored();
    const closed = stored({ status: 'closed' });

    await expect(service.create(alice, fields)).rejects.toThrow(
      new BusinessRuleError(
        'You already have 10 open tickets; the limit is 10. Resolve one before opening another.',
      ),
    );
    await expect(service.update(closed.id, { status: 'open' }, bob)).rejects.toThrow(
      new BusinessRuleError(
        'Its creator already has 10 open tickets; the limit is 10. Resolve one before opening another.',
      ),
    );
  });

  it('When a resolved or closed ticket is resolved, then Conflict naming its status', async () => {
    const { service, stored } = setup();
    const closed = stored({ status: 'closed' });

    await expect(service.resolve(closed.id, bob)).rejects.toThrow(
      new ConflictError(`Ticket ${closed.id} is already closed.`),
    );
  });

  it('When PATCH sets status resolved, then ValidationError on status, even for a missing ticket', async () => {
    const { service } = setup();

    await expect(
      service.update('0c000000-0000-4000-8000-00000000dead', { status: 'resolved' }, bob),
    ).rejects.toMatchObject({
      status: 422,
      message: 'A ticket is resolved with its action, POST /api/v1/tickets/:id/resolve.',
      fields: { status: 'use POST /api/v1/tickets/:id/resolve to resolve a ticket' },
    });
  });
});

describe('TicketService: a ticket deleted between the check and the write', () => {
  // The service checks visibility, then writes: another request may delete the ticket in
  // between. The repository then answers null (no row), and the service must say 404, not
  // return null as a ticket. The fake's delete runs first, as PostgreSQL would commit it.
  it('When the ticket is deleted right after the visibility check, then update and resolve are NotFound', async () => {
    const { tickets, users, stored } = setup();
    const ticket = stored();
    const deletedInBetween = {
      ...tickets,
      update: async (...args: Parameters<typeof tickets.update>) => {
        await tickets.remove(ticket.id, bob.id);
        return tickets.update(...args);
      },
      resolve: async (...args: Parameters<typeof tickets.resolve>) => {
        await tickets.remove(ticket.id, bob.id);
        return tickets.resolve(...args);
      },
    };
    const service = createTicketService(deletedInBetween, users);

    await expect(service.update(ticket.id, { subject: 'x' }, bob)).rejects.toThrow(
      new NotFoundError(`Ticket ${ticket.id} does not exist.`),
    );
    tickets.seed(ticket);
    await expect(service.resolve(ticket.id, bob)).rejects.toBeInstanceOf(NotFoundError);
  });
});
