import { describe, expect, it } from 'vitest';
import { TICKET_LIMITS, TICKET_PRIORITIES } from '../src/domain/tickets.ts';
import { USER_ROLES } from '../src/domain/users.ts';
import { FIXTURE_ACCOUNTS, FIXTURE_USERS } from '../src/seed/fixtures.ts';
import {
  buildComment,
  buildCreateTicketInput,
  buildTicket,
  buildUser,
} from '../src/testing/factories.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const isIso = (value: string) => new Date(value).toISOString() === value;

describe('buildCreateTicketInput', () => {
  it('When called twice, then both inputs are valid and their subjects differ', () => {
    const first = buildCreateTicketInput();
    const second = buildCreateTicketInput();

    expect(first.subject).not.toBe(second.subject);
    for (const input of [first, second]) {
      expect(input.subject.length).toBeGreaterThan(0);
      expect(input.subject.length).toBeLessThanOrEqual(TICKET_LIMITS.subjectMaxLength);
      expect(TICKET_PRIORITIES).toContain(input.priority);
    }
  });

  it('When overrides are given, then they win', () => {
    const input = buildCreateTicketInput({ subject: 'Printer on fire', priority: 'critical' });

    expect(input).toMatchObject({ subject: 'Printer on fire', priority: 'critical' });
  });
});

describe('buildTicket', () => {
  it('When called without overrides, then it is an open acme ticket by alice, created now', () => {
    const before = new Date().toISOString();

    const ticket = buildTicket();

    expect(ticket).toMatchObject({
      accountId: FIXTURE_ACCOUNTS.acme.id,
      createdBy: FIXTURE_USERS.alice.id,
      status: 'open',
      assigneeId: null,
      resolvedAt: null,
    });
    expect(ticket.id).toMatch(UUID);
    expect(isIso(ticket.createdAt) && ticket.createdAt >= before).toBe(true);
    expect(ticket.updatedAt).toBe(ticket.createdAt);
    expect(buildTicket().id).not.toBe(ticket.id);
    expect(buildTicket().subject).not.toBe(ticket.subject);
  });

  it('When overrides are given, then they win', () => {
    const ticket = buildTicket({
      subject: 'Mine',
      priority: 'high',
      assigneeId: FIXTURE_USERS.bob.id,
    });

    expect(ticket).toMatchObject({
      subject: 'Mine',
      priority: 'high',
      assigneeId: FIXTURE_USERS.bob.id,
    });
  });

  it('When the status is resolved, then resolvedAt is set unless overridden', () => {
    expect(buildTicket({ status: 'resolved' }).resolvedAt).not.toBeNull();
    expect(
      buildTicket({ status: 'closed', resolvedAt: '2025-01-01T00:00:00.000Z' }).resolvedAt,
    ).toBe('2025-01-01T00:00:00.000Z');
  });
});

describe('buildComment', () => {
  it('When called, then it is a valid comment by alice, and overrides win', () => {
    const ticket = buildTicket();

    const comment = buildComment({ ticketId: ticket.id });

    expect(comment).toMatchObject({ ticketId: ticket.id, authorId: FIXTURE_USERS.alice.id });
    expect(comment.id).toMatch(UUID);
    expect(comment.body.length).toBeGreaterThan(0);
    expect(isIso(comment.createdAt)).toBe(true);
    expect(buildComment({ body: 'Hello' }).body).toBe('Hello');
  });
});

describe('buildUser', () => {
  it('When called twice, then both are valid acme customers with distinct e-mails', () => {
    const first = buildUser();
    const second = buildUser();

    expect(first).toMatchObject({ accountId: FIXTURE_ACCOUNTS.acme.id, role: 'customer' });
    expect(USER_ROLES).toContain(second.role);
    expect(first.email).not.toBe(second.email);
    expect(first.email).toMatch(/^[^@\s]+@[^@\s]+$/);
    expect(first.id).toMatch(UUID);
    expect(isIso(first.createdAt)).toBe(true);
  });

  it('When overrides are given, then they win', () => {
    const user = buildUser({ role: 'agent', accountId: FIXTURE_ACCOUNTS.globex.id });

    expect(user).toMatchObject({ role: 'agent', accountId: FIXTURE_ACCOUNTS.globex.id });
  });
});
