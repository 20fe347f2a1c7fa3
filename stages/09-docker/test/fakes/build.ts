import { buildCreateTicketInput, buildTicket } from '@backend-path/shared/testing/factories';
import type { NewTicket } from '../../src/tickets/tickets.repository.ts';

/**
 * What the service would pass to create(): an acme ticket by alice, unless overridden. Here, not
 * in test/support/db-helpers.ts (which re-exports it): importing that opens the worker's database.
 */
export function buildNewTicket(overrides: Partial<NewTicket> = {}): NewTicket {
  const ticket = buildTicket();
  const input = buildCreateTicketInput();
  return {
    accountId: ticket.accountId,
    createdBy: ticket.createdBy,
    subject: input.subject,
    description: input.description ?? '',
    priority: input.priority ?? 'medium',
    assigneeId: null,
    ...overrides,
  };
}
