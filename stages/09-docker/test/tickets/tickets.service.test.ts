import { FIXTURE_USER_LIST, FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { describe, expect, it } from 'vitest';
import {
  BusinessRuleError,
  ConflictError,
  NotFoundError,
  ValidationError,
} from '../../src/errors.ts';
import type { CreateTicketFields } from '../../src/tickets/tickets.schemas.ts';
import { boundedPage, type TicketSearch } from '../../src/tickets/tickets.search.ts';
import {
  createTicketService,
  MAX_OPEN_TICKETS_PER_USER,
} from '../../src/tickets/tickets.service.ts';
import type { UserLookup } from '../../src/users/users.lookup.ts';
import { createInMemoryTicketRepository } from '../fakes/tickets.repository.memory.ts';

// Unit tests: the service with the real in-memory repository, no HTTP at all. This is what the
// layering buys: the rules are testable without a request, a port or a database.
const { alice, bob, carol } = FIXTURE_USERS;
const MISSING = '00000000-0000-4000-8000-000000000000';

function fields(subject = 'Printer on fire'): CreateTicketFields {
  return { subject, description: '', priority: 'medium', assigneeId: null };
}

/** The fixture users (alice, bob, carol: acme; dave, erin: globex), as the users table holds them. */
const users: UserLookup = {
  findById: async (id) => FIXTURE_USER_LIST.find((user) => user.id === id) ?? null,
};

function setup() {
  const tickets = createInMemoryTicketRepository();
  // Comments live only in PostgreSQL, so the in-memory repository cannot list them; no rule
  // tested here does.
  const listWithComments = () => Promise.reject(new Error('no comments in memory'));
  // The Map counts all it holds; the service's pages say whether more follow (one row more).
  const list = async (query: TicketSearch) => {
    const page = await tickets.list({ ...query, pageSize: query.pageSize + 1 });
    return boundedPage(page.items, query.pageSize, page.total);
  };
  return { tickets, service: createTicketService({ ...tickets, list, listWithComments }, users) };
}

describe('TicketService.create', () => {
  it('When the caller is under the limit, then the ticket is theirs and open', async () => {
    const { tickets, service } = setup();

    const ticket = await service.create(bob, fields());

    expect(ticket).toMatchObject({ createdBy: bob.id, accountId: bob.accountId, status: 'open' });
    expect(await tickets.findById(ticket.id)).toEqual(ticket);
  });

  it('When the caller has the maximum open, then BusinessRuleError and nothing is stored', async () => {
    const { tickets, service } = setup();
    for (let i = 0; i < MAX_OPEN_TICKETS_PER_USER; i++) await service.create(alice, fields());

    const attempt = service.create(alice, fields('One too many'));

    await expect(attempt).rejects.toBeInstanceOf(BusinessRuleError);
    await expect(attempt).rejects.toThrow(/limit is 10/);
    expect(await tickets.countOpenByCreator(alice.id)).toBe(MAX_OPEN_TICKETS_PER_USER);
  });

  it('When some of the caller’s tickets are resolved, then they no longer count', async () => {
    const { service } = setup();
    const created = [];
    for (let i = 0; i < MAX_OPEN_TICKETS_PER_USER; i++) {
      created.push(await service.create(alice, fields()));
    }
    await service.resolve(created[0]?.id ?? '', bob);

    await expect(service.create(alice, fields('Now there is room'))).resolves.toMatchObject({
      status: 'open',
    });
  });
});

describe('TicketService.resolve', () => {
  it('When the ticket is open, then it is resolved and the activity names who did it', async () => {
    const { tickets, service } = setup();
    const ticket = await service.create(alice, fields());

    const resolved = await service.resolve(ticket.id, bob);

    expect(resolved).toMatchObject({ status: 'resolved', resolvedAt: expect.any(String) });
    expect(await tickets.activityOf(ticket.id)).toEqual([
      {
        id: expect.any(String),
        ticketId: ticket.id,
        actorId: bob.id,
        type: 'resolved',
        details: { from: 'open' },
        createdAt: resolved.resolvedAt,
      },
    ]);
  });

  it.each(['resolved', 'closed'] as const)(
    'When the ticket is already %s, then ConflictError and no activity',
    async (status) => {
      const { tickets, service } = setup();
      const ticket = await service.create(alice, fields());
      if (status === 'resolved') await service.resolve(ticket.id, bob);
      else await service.update(ticket.id, { status }, bob);
      const before = await tickets.activityOf(ticket.id);

      await expect(service.resolve(ticket.id, bob)).rejects.toBeInstanceOf(ConflictError);
      expect(await tickets.activityOf(ticket.id)).toEqual(before);
    },
  );

  it('When the ticket does not exist, then NotFoundError', async () => {
    const { service } = setup();

    await expect(service.resolve(MISSING, bob)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('TicketService.get / update / remove', () => {
  it('When the ticket does not exist, then each says NotFoundError', async () => {
    const { service } = setup();

    await expect(service.get(MISSING, carol)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.update(MISSING, { priority: 'high' }, carol)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(service.remove(MISSING, carol)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('When a ticket is removed, then it is gone and its activity stays, ending with who deleted it', async () => {
    const { tickets, service } = setup();
    const ticket = await service.create(alice, fields());
    await service.resolve(ticket.id, alice);

    await service.remove(ticket.id, carol);

    expect(await tickets.findById(ticket.id)).toBeNull();
    expect(await tickets.activityOf(ticket.id)).toEqual([
      expect.objectContaining({ type: 'resolved', actorId: alice.id }),
      expect.objectContaining({
        type: 'deleted',
        actorId: carol.id,
        details: { subject: ticket.subject, status: 'resolved' },
      }),
    ]);
  });

  it('When PATCH would set status resolved, then ValidationError naming the resolve action, and nothing changes', async () => {
    const { tickets, service } = setup();
    const ticket = await service.create(alice, fields());

    const attempt = service.update(ticket.id, { status: 'resolved' }, bob);

    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toMatchObject({
      fields: { status: expect.stringContaining('/resolve') },
    });
    expect(await tickets.findById(ticket.id)).toEqual(ticket);
    expect(await tickets.activityOf(ticket.id)).toEqual([]);
  });

  it('When the status changes, then exactly one status_changed activity names who and from/to', async () => {
    const { tickets, service } = setup();
    const ticket = await service.create(alice, fields());

    await service.update(ticket.id, { status: 'pending', priority: 'high' }, bob);
    await service.update(ticket.id, { status: 'pending' }, bob); // no change: no row

    expect(await tickets.activityOf(ticket.id)).toEqual([
      expect.objectContaining({
        type: 'status_changed',
        actorId: bob.id,
        details: { from: 'open', to: 'pending' },
      }),
    ]);
  });

  it('When reopening would give the creator more than the maximum open, then BusinessRuleError and it stays closed', async () => {
    const { tickets, service } = setup();
    const closed = await service.create(alice, fields());
    await service.update(closed.id, { status: 'closed' }, bob);
    for (let i = 0; i < MAX_OPEN_TICKETS_PER_USER; i++) await service.create(alice, fields());

    const attempt = service.update(closed.id, { status: 'open' }, bob);

    await expect(attempt).rejects.toBeInstanceOf(BusinessRuleError);
    expect((await tickets.findById(closed.id))?.status).toBe('closed');
  });

  it('When the assignee belongs to another account, then ValidationError on assigneeId (create and update)', async () => {
    const { tickets, service } = setup();
    const ticket = await service.create(alice, fields());
    const erin = FIXTURE_USERS.erin; // an agent, of globex; alice, bob and carol are acme

    const creating = service.create(carol, { ...fields(), assigneeId: erin.id });
    const updating = service.update(ticket.id, { assigneeId: erin.id }, bob);

    await expect(creating).rejects.toMatchObject({
      status: 422,
      fields: { assigneeId: expect.any(String) },
    });
    await expect(updating).rejects.toMatchObject({
      status: 422,
      fields: { assigneeId: expect.any(String) },
    });
    expect(await tickets.findById(ticket.id)).toEqual(ticket);
    await expect(service.update(ticket.id, { assigneeId: bob.id }, bob)).resolves.toMatchObject({
      assigneeId: bob.id,
    });
  });
});

describe('TicketService under concurrency (in memory: each check and write in one event-loop turn)', () => {
  it('When 20 creates race for the last free slot, then exactly one is stored', async () => {
    const { tickets, service } = setup();
    for (let i = 0; i < MAX_OPEN_TICKETS_PER_USER - 1; i++) await service.create(alice, fields());

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => service.create(alice, fields(`Race ${i}`))),
    );

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await tickets.countOpenByCreator(alice.id)).toBe(MAX_OPEN_TICKETS_PER_USER);
  });

  it('When 10 resolves of one ticket race, then one succeeds, nine are ConflictError, one activity row', async () => {
    const { tickets, service } = setup();
    const ticket = await service.create(alice, fields());

    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => service.resolve(ticket.id, bob)),
    );

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const reasons = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(reasons).toHaveLength(9);
    for (const reason of reasons) expect(reason).toBeInstanceOf(ConflictError);
    expect(await tickets.activityOf(ticket.id)).toHaveLength(1);
  });
});

describe('TicketService.list', () => {
  it('When filtered by status, then the repository’s page comes back as is', async () => {
    const { service } = setup();
    const kept = await service.create(alice, fields());
    const resolved = await service.create(alice, fields());
    await service.resolve(resolved.id, alice);

    const page = await service.list({ page: 1, pageSize: 20, status: 'open' }, alice);

    expect(page).toEqual({ items: [kept], total: 1, totalExact: true, hasMore: false });
  });
});
