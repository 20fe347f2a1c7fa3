import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { buildTicket } from '@backend-path/shared/testing/factories';
import { describe, expect, it } from 'vitest';
import { createCommentService } from '../../src/comments/comments.service.ts';
import { NotFoundError } from '../../src/errors.ts';
import { createFakeDataLayer } from '../fakes/fake-data-layer.ts';

const { alice, bob, carol, erin } = FIXTURE_USERS;

function setup() {
  const layer = createFakeDataLayer();
  const ticket = buildTicket({ createdBy: alice.id });
  layer.tickets.seed(ticket);
  return { ...layer, ticket, service: createCommentService(layer.tickets, layer.comments) };
}

describe('CommentService', () => {
  it('When the ticket is visible, then a comment is added by the caller and listed and found', async () => {
    const { service, ticket } = setup();

    const added = await service.add(ticket.id, alice, 'Still on fire');

    expect(added).toMatchObject({ ticketId: ticket.id, authorId: alice.id, body: 'Still on fire' });
    expect(await service.list(ticket.id, { page: 1, pageSize: 10 }, bob)).toEqual({
      items: [added],
      total: 1,
      totalExact: true,
      hasMore: false,
    });
    expect(await service.get(ticket.id, added.id, bob)).toEqual(added);
  });

  it('When the ticket is not visible to the caller, then NotFound for list, get and add, and nothing is added', async () => {
    const { service, ticket, comments } = setup();
    const added = await service.add(ticket.id, bob, 'internal note');

    for (const caller of [erin, { ...carol, id: carol.id, role: 'customer' as const }]) {
      await expect(
        service.list(ticket.id, { page: 1, pageSize: 10 }, caller),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.get(ticket.id, added.id, caller)).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.add(ticket.id, caller, 'x')).rejects.toThrow(
        new NotFoundError(`Ticket ${ticket.id} does not exist.`),
      );
    }
    expect((await comments.listByTicket(ticket.id)).map((c) => c.body)).toEqual(['internal note']);
  });

  it('When the comment belongs to another ticket, then NotFound names the comment', async () => {
    const { service, ticket, tickets } = setup();
    const other = buildTicket({ createdBy: alice.id });
    tickets.seed(other);
    const elsewhere = await service.add(other.id, alice, 'elsewhere');

    await expect(service.get(ticket.id, elsewhere.id, alice)).rejects.toThrow(
      new NotFoundError(`Comment ${elsewhere.id} does not exist on this ticket.`),
    );
  });
});
