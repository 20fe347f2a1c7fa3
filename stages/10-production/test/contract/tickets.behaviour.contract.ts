import { FIXTURE_ACCOUNTS, FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { buildTicket } from '@backend-path/shared/testing/factories';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_OPEN_TICKETS_PER_USER as MAX } from '../../src/tickets/tickets.service.ts';
import { buildNewTicket } from '../fakes/build.ts';
import { appErrorOf, type ContractSubject, MISSING_ID, minutesAgo, ticketOf } from './subject.ts';

const { alice, bob, dave } = FIXTURE_USERS;
const BOB = { actorId: bob.id, maxOpen: MAX };

// LESSON: the contract is what the SERVICE relies on, written once and run against every
// implementation (test/contract/*.test.ts: pg and the fakes). Stage 03's SQL-checked suite
// (test/tickets.repository.contract.ts) proves the rows; this one proves behaviour through the
// interface only, which is what makes it runnable against a fake at all.
export function describeTicketBehaviour(name: string, connect: () => Promise<ContractSubject>) {
  let s: ContractSubject;
  beforeEach(async () => {
    s = await connect();
  });
  /** `count` tickets by `createdBy`, `status`, in the past. */
  async function seedMany(count: number, overrides: Parameters<typeof buildTicket>[0] = {}) {
    for (let i = 0; i < count; i++) {
      const at = minutesAgo(60 + i);
      await s.seedTicket(buildTicket({ createdAt: at, updatedAt: at, ...overrides }));
    }
  }

  describe(`${name}: the open-ticket limit`, () => {
    it('When the creator has maxOpen - 1 open (and others finished or pending), then create succeeds and stores an open ticket', async () => {
      await seedMany(MAX - 1, { createdBy: alice.id });
      await seedMany(2, { createdBy: alice.id, status: 'resolved', resolvedAt: minutesAgo(1) });
      await seedMany(1, { createdBy: alice.id, status: 'pending' });
      await seedMany(3, { createdBy: bob.id });

      const created = ticketOf(await s.tickets.create(buildNewTicket(), MAX));

      expect(created).toMatchObject({ status: 'open', resolvedAt: null, createdBy: alice.id });
      expect(created.updatedAt).toBe(created.createdAt);
      expect(await s.tickets.findById(created.id)).toEqual(created);
      expect(await s.tickets.countOpenByCreator(alice.id)).toBe(MAX);
    });

    it('When the creator has maxOpen open, then create is refused with the count and stores nothing', async () => {
      await seedMany(MAX, { createdBy: alice.id });

      const refused = await s.tickets.create(buildNewTicket(), MAX);

      expect(refused).toEqual({ refused: 'open-limit', open: MAX });
      expect((await s.tickets.list({ page: 1, pageSize: 50 })).total).toBe(MAX);
    });

    it("When 20 creates race for the creator's last free slot, then exactly one is stored", async () => {
      await seedMany(MAX - 1, { createdBy: alice.id });

      const results = await Promise.all(
        Array.from({ length: 20 }, () => s.tickets.create(buildNewTicket(), MAX)),
      );

      expect(results.filter((r) => !('refused' in r))).toHaveLength(1);
      expect(await s.tickets.countOpenByCreator(alice.id)).toBe(MAX);
    });

    it('When reopening would exceed the limit, then a refusal, and the ticket and its activity are unchanged', async () => {
      await seedMany(MAX, { createdBy: alice.id });
      const closed = buildTicket({
        status: 'closed',
        createdAt: minutesAgo(5),
        updatedAt: minutesAgo(5),
      });
      await s.seedTicket(closed);

      const refused = await s.tickets.update(closed.id, { status: 'open' }, BOB);

      expect(refused).toEqual({ refused: 'open-limit', open: MAX });
      expect(await s.tickets.findById(closed.id)).toEqual(closed);
      expect(await s.activityOf(closed.id)).toEqual([]);
    });
  });

  describe(`${name}: status transitions`, () => {
    it('When an open ticket is resolved, then resolved, stamped, and one activity row names the actor', async () => {
      const open = buildTicket({ createdAt: minutesAgo(5), updatedAt: minutesAgo(5) });
      await s.seedTicket(open);

      const resolved = ticketOf(await s.tickets.resolve(open.id, bob.id));

      expect(resolved).toEqual({
        ...open,
        status: 'resolved',
        updatedAt: resolved.resolvedAt,
        resolvedAt: expect.any(String),
      });
      expect(Date.parse(resolved.updatedAt)).toBeGreaterThan(Date.parse(open.updatedAt));
      expect(await s.tickets.findById(open.id)).toEqual(resolved);
      expect(await s.activityOf(open.id)).toEqual([
        expect.objectContaining({ type: 'resolved', actorId: bob.id, details: { from: 'open' } }),
      ]);
    });

    it.each(['resolved', 'closed'] as const)(
      'When a %s ticket is resolved, then a refusal names its status and nothing changes',
      async (status) => {
        const finished = buildTicket({
          status,
          createdAt: minutesAgo(5),
          updatedAt: minutesAgo(4),
          resolvedAt: minutesAgo(4),
        });
        await s.seedTicket(finished);

        expect(await s.tickets.resolve(finished.id, bob.id)).toEqual({
          refused: 'finished',
          status,
        });
        expect(await s.tickets.findById(finished.id)).toEqual(finished);
        expect(await s.activityOf(finished.id)).toEqual([]);
      },
    );

    it('When 10 resolves of one ticket race, then one resolves it, nine are refused, one activity row', async () => {
      const open = buildTicket({ createdAt: minutesAgo(5), updatedAt: minutesAgo(5) });
      await s.seedTicket(open);

      const results = await Promise.all(
        Array.from({ length: 10 }, () => s.tickets.resolve(open.id, bob.id)),
      );

      expect(results.filter((r) => r !== null && !('refused' in r))).toHaveLength(1);
      expect(results.filter((r) => r !== null && 'refused' in r)).toHaveLength(9);
      expect(await s.activityOf(open.id)).toHaveLength(1);
    });

    it('When open → pending → resolved (PATCH) → closed → open, then resolvedAt is cleared, stamped, kept, cleared; one status_changed row each', async () => {
      const t = buildTicket({ createdAt: minutesAgo(5), updatedAt: minutesAgo(5) });
      await s.seedTicket(t);

      const pending = ticketOf(await s.tickets.update(t.id, { status: 'pending' }, BOB));
      const resolved = ticketOf(await s.tickets.update(t.id, { status: 'resolved' }, BOB));
      const closed = ticketOf(await s.tickets.update(t.id, { status: 'closed' }, BOB));
      const reopened = ticketOf(await s.tickets.update(t.id, { status: 'open' }, BOB));

      expect(pending.resolvedAt).toBeNull();
      expect(resolved.resolvedAt).toEqual(expect.any(String));
      expect(closed.resolvedAt).toBe(resolved.resolvedAt);
      expect(reopened.resolvedAt).toBeNull();
      const trail = (await s.activityOf(t.id)).map((a) => [a.type, a.actorId, a.details]);
      expect(trail).toEqual([
        ['status_changed', bob.id, { from: 'open', to: 'pending' }],
        ['status_changed', bob.id, { from: 'pending', to: 'resolved' }],
        ['status_changed', bob.id, { from: 'resolved', to: 'closed' }],
        ['status_changed', bob.id, { from: 'closed', to: 'open' }],
      ]);
    });

    it('When other fields change, or the status is set to what it is, then no activity row and updatedAt still moves', async () => {
      const t = buildTicket({ createdAt: minutesAgo(5), updatedAt: minutesAgo(5) });
      await s.seedTicket(t);

      const updated = ticketOf(
        await s.tickets.update(
          t.id,
          { subject: 'New subject', status: 'open', assigneeId: bob.id },
          BOB,
        ),
      );

      expect(updated).toEqual({
        ...t,
        subject: 'New subject',
        assigneeId: bob.id,
        updatedAt: expect.any(String),
      });
      expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(t.updatedAt));
      expect(await s.activityOf(t.id)).toEqual([]);
    });

    it('When the resolving actor does not exist, then a 422 AppError and the ticket is unchanged (no half-write)', async () => {
      const t = buildTicket({ createdAt: minutesAgo(5), updatedAt: minutesAgo(5) });
      await s.seedTicket(t);

      const error = await appErrorOf(s.tickets.resolve(t.id, MISSING_ID));

      expect(error).toMatchObject({ status: 422, code: 'VALIDATION_FAILED' });
      expect(await s.tickets.findById(t.id)).toEqual(t);
      expect(await s.activityOf(t.id)).toEqual([]);
    });

    it('When no ticket has the id, then update and resolve answer null, remove false', async () => {
      expect(await s.tickets.update(MISSING_ID, { subject: 'x' }, BOB)).toBeNull();
      expect(await s.tickets.resolve(MISSING_ID, bob.id)).toBeNull();
      expect(await s.tickets.remove(MISSING_ID, bob.id)).toBe(false);
      expect(await s.tickets.findById(MISSING_ID)).toBeNull();
    });

    it('When a ticket is removed, then it is gone and its trail gains a deleted row with what it was', async () => {
      const t = buildTicket({
        status: 'pending',
        createdAt: minutesAgo(5),
        updatedAt: minutesAgo(5),
      });
      await s.seedTicket(t);

      expect(await s.tickets.remove(t.id, bob.id)).toBe(true);

      expect(await s.tickets.findById(t.id)).toBeNull();
      expect(await s.activityOf(t.id)).toEqual([
        expect.objectContaining({
          type: 'deleted',
          actorId: bob.id,
          details: { subject: t.subject, status: 'pending' },
        }),
      ]);
    });

    it('When the assignee does not exist, then create fails with 422 on assigneeId', async () => {
      const error = await appErrorOf(
        s.tickets.create(buildNewTicket({ assigneeId: MISSING_ID }), MAX),
      );

      expect(error).toMatchObject({ status: 422, fields: { assigneeId: 'does not exist' } });
    });
  });

  describe(`${name}: order, pages and filters`, () => {
    it('When tickets share a createdAt, then newest first, ties by larger id, and offset pages neither skip nor repeat', async () => {
      const same = minutesAgo(10);
      const ids = [
        '0d000000-0000-4000-8000-00000000000a',
        '0d000000-0000-4000-8000-00000000000b',
        '0d000000-0000-4000-8000-00000000000c',
      ];
      for (const id of ids)
        await s.seedTicket(buildTicket({ id, createdAt: same, updatedAt: same }));
      const newer = buildTicket({ createdAt: minutesAgo(1), updatedAt: minutesAgo(1) });
      await s.seedTicket(newer);

      const pages = [1, 2].map((page) => s.tickets.list({ page, pageSize: 2 }));
      const [first, second] = await Promise.all(pages);

      expect(first?.items.map((t) => t.id)).toEqual([newer.id, ids[2]]);
      expect(second?.items.map((t) => t.id)).toEqual([ids[1], ids[0]]);
      expect(first?.total).toBe(4);
      // The second page is full and the last: nothing follows it.
      expect([first?.hasMore, second?.hasMore]).toEqual([true, false]);
    });

    it('When walking with a cursor, then every matching ticket comes once, in order, whatever the page size', async () => {
      const same = minutesAgo(10);
      for (let i = 0; i < 4; i++)
        await s.seedTicket(buildTicket({ createdAt: same, updatedAt: same }));
      await seedMany(5);
      await seedMany(3, { status: 'pending' });
      const everything = (await s.tickets.list({ page: 1, pageSize: 100, status: 'open' })).items;

      for (const pageSize of [1, 2, 3]) {
        const seen = [];
        let after: { createdAt: string; id: string } | undefined;
        for (;;) {
          const { items, total, hasMore } = await s.tickets.list({
            page: 1,
            pageSize,
            status: 'open',
            after,
          });
          expect(total).toBe(9);
          if (items.length === 0) break;
          expect(hasMore).toBe(seen.length + items.length < everything.length);
          seen.push(...items);
          const last = items[items.length - 1];
          after = last && { createdAt: last.createdAt, id: last.id };
        }
        expect(seen).toEqual(everything);
      }
    });

    it('When filtered by account, creator and q, then only matching tickets are listed and counted; q treats % and _ as text', async () => {
      await s.seedTicket(
        buildTicket({
          subject: 'Printer ON FIRE',
          createdAt: minutesAgo(3),
          updatedAt: minutesAgo(3),
        }),
      );
      await s.seedTicket(
        buildTicket({ subject: '100% fire', createdAt: minutesAgo(2), updatedAt: minutesAgo(2) }),
      );
      await s.seedTicket(
        buildTicket({
          // Matches `on fire` too: only the account filter keeps it out of Acme's list.
          subject: 'Printer on fire at globex',
          accountId: FIXTURE_ACCOUNTS.globex.id,
          createdBy: dave.id,
          createdAt: minutesAgo(1),
          updatedAt: minutesAgo(1),
        }),
      );
      const acme = FIXTURE_ACCOUNTS.acme.id;

      const fire = await s.tickets.list({ page: 1, pageSize: 10, accountId: acme, q: 'on fire' });
      const percent = await s.tickets.list({ page: 1, pageSize: 10, q: '0%' });
      const wildcard = await s.tickets.list({ page: 1, pageSize: 10, q: '_' });
      const daves = await s.tickets.list({ page: 1, pageSize: 10, createdBy: dave.id });

      expect(fire.items.map((t) => t.subject)).toEqual(['Printer ON FIRE']);
      expect(fire.total).toBe(1);
      expect(percent.items.map((t) => t.subject)).toEqual(['100% fire']);
      expect(wildcard.total).toBe(0);
      expect(daves.items.map((t) => t.subject)).toEqual(['Printer on fire at globex']);
    });
  });
}
