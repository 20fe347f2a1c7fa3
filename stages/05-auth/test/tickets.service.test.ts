import { FIXTURE_USER_LIST, FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { describe, expect, it } from 'vitest';
import { BusinessRuleError, ConflictError, NotFoundError } from '../src/errors.ts';
import { createInMemoryTicketRepository } from '../src/tickets/tickets.repository.ts';
import { createTicketService, MAX_OPEN_TICKETS_PER_USER } from '../src/tickets/tickets.service.ts';
import type { CreateTicketFields } from '../src/tickets/tickets.validation.ts';

// Unit tests: the service with the real in-memory repository, no HTTP at all. This is what the
// layering buys: the rules are testable without a request, a port or a database.
const { alice, bob, carol } = FIXTURE_USERS;
const MISSING = '00000000-0000-4000-8000-000000000000';

function fields(subject = 'Printer on fire'): CreateTicketFields {
  return { subject, description: '', priority: 'medium', assigneeId: null };
}

function setup() {
  const tickets = createInMemoryTicketRepository();
  // Comments live only in PostgreSQL, so the in-memory repository cannot list them; no rule
  // tested here does.
  const listWithComments = () => Promise.reject(new Error('no comments in memory'));
  const users = {
    findById: async (id: string) => FIXTURE_USER_LIST.find((u) => u.id === id) ?? null,
  };
  return { tickets, service: createTicketService({ ...tickets, listWithComments }, users) };
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
      await service.update(ticket.id, { status }, bob);

      await expect(service.resolve(ticket.id, bob)).rejects.toBeInstanceOf(ConflictError);
      expect(await tickets.activityOf(ticket.id)).toEqual([]);
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

  it('When a ticket is removed, then it and its activity are gone', async () => {
    const { tickets, service } = setup();
    const ticket = await service.create(alice, fields());
    await service.resolve(ticket.id, alice);

    await service.remove(ticket.id, carol);

    expect(await tickets.findById(ticket.id)).toBeNull();
    expect(await tickets.activityOf(ticket.id)).toEqual([]);
  });
});

describe('TicketService.list', () => {
  it('When filtered by status, then the repository’s page comes back as is', async () => {
    const { service } = setup();
    const kept = await service.create(alice, fields());
    const resolved = await service.create(alice, fields());
    await service.resolve(resolved.id, alice);

    const page = await service.list({ page: 1, pageSize: 20, status: 'open' }, alice);

    expect(page).toEqual({ items: [kept], total: 1 });
  });
});
