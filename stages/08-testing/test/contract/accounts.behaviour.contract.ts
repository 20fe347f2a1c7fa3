import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { buildComment, buildTicket } from '@backend-path/shared/testing/factories';
import { beforeEach, describe, expect, it } from 'vitest';
import { COMMENTS_PER_TICKET } from '../../src/tickets/tickets.search.ts';
import { appErrorOf, type ContractSubject, MISSING_ID, minutesAgo } from './subject.ts';

const { alice, bob } = FIXTURE_USERS;
/** A well-formed bcrypt hash (users_password_hash_bcrypt accepts nothing else). */
const HASH = `$2b$04$${'a'.repeat(53)}`;

/** Comments and credentials: what the comment, auth and user services rely on. */
export function describeCommentAndCredentialBehaviour(
  name: string,
  connect: () => Promise<ContractSubject>,
) {
  let s: ContractSubject;
  beforeEach(async () => {
    s = await connect();
  });
  /** A ticket with `count` comments, one second apart, oldest first. */
  async function ticketWithComments(count: number) {
    const ticket = buildTicket({ createdAt: minutesAgo(60), updatedAt: minutesAgo(60) });
    await s.seedTicket(ticket);
    const comments = [];
    for (let i = 0; i < count; i++) {
      const createdAt = new Date(Date.parse(ticket.createdAt) + (i + 1) * 1000).toISOString();
      const comment = buildComment({ ticketId: ticket.id, authorId: bob.id, createdAt });
      await s.seedComment(comment);
      comments.push(comment);
    }
    return { ticket, comments };
  }

  describe(`${name}: comments`, () => {
    it('When a comment is added, then it comes back stored, and a page lists its ticket’s comments oldest first with the count', async () => {
      const { ticket, comments } = await ticketWithComments(3);

      const added = await s.comments.create({
        ticketId: ticket.id,
        authorId: alice.id,
        body: 'Hi',
      });
      const page = await s.comments.pageByTicket(ticket.id, { page: 2, pageSize: 2 });

      expect(added).toEqual({
        id: expect.any(String),
        ticketId: ticket.id,
        authorId: alice.id,
        body: 'Hi',
        createdAt: expect.any(String),
      });
      expect(page).toEqual({
        items: [comments[2], added],
        total: 4,
        totalExact: true,
        hasMore: false,
      });
      expect(await s.comments.findById(ticket.id, added.id)).toEqual(added);
    });

    it('When the ticket does not exist, then create is a 404 AppError; a comment under another ticket is not found', async () => {
      const { comments } = await ticketWithComments(1);
      const other = buildTicket({ createdAt: minutesAgo(5), updatedAt: minutesAgo(5) });
      await s.seedTicket(other);

      const error = await appErrorOf(
        s.comments.create({ ticketId: MISSING_ID, authorId: bob.id, body: 'x' }),
      );

      expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      expect(await s.comments.findById(other.id, comments[0]?.id ?? '')).toBeNull();
    });

    it('When tickets are listed with comments, then each carries its newest few, oldest first, and the full count', async () => {
      const { ticket, comments } = await ticketWithComments(COMMENTS_PER_TICKET + 2);

      const { items, total } = await s.tickets.listWithComments({ page: 1, pageSize: 5 });

      expect(total).toBe(1);
      expect(items[0]).toEqual({
        ...ticket,
        comments: comments.slice(2),
        commentCount: comments.length,
      });
    });

    it('When a ticket is removed, then its comments go with it', async () => {
      const { ticket } = await ticketWithComments(2);

      await s.tickets.remove(ticket.id, bob.id);

      expect(await s.comments.pageByTicket(ticket.id, { page: 1, pageSize: 10 })).toEqual({
        items: [],
        total: 0,
        totalExact: true,
        hasMore: false,
      });
    });
  });

  describe(`${name}: credentials`, () => {
    it('When an account is registered, then its admin is found by id and by e-mail in any case, at token version 0', async () => {
      const admin = await s.credentials.registerAccount('Initech', {
        email: 'Peter@Initech.test',
        name: 'Peter',
        passwordHash: HASH,
      });

      const byEmail = await s.credentials.findByEmail('peter@INITECH.test');

      expect(admin).toMatchObject({ role: 'admin', email: 'Peter@Initech.test', name: 'Peter' });
      expect(byEmail).toEqual({ user: admin, passwordHash: HASH, tokenVersion: 0 });
      expect(await s.credentials.findById(admin.id)).toEqual(byEmail);
    });

    it('When an e-mail is taken in another case, then create and register fail with 409 on email', async () => {
      const user = {
        accountId: alice.accountId,
        email: alice.email.toUpperCase(),
        name: 'Twin',
        role: 'agent' as const,
        passwordHash: HASH,
      };

      const created = await appErrorOf(s.credentials.createUser(user));
      const registered = await appErrorOf(s.credentials.registerAccount('Twin Inc', user));

      for (const error of [created, registered]) {
        expect(error).toMatchObject({
          status: 409,
          code: 'CONFLICT',
          fields: { email: 'is already taken' },
        });
      }
    });

    it('When the stored hash is not a bcrypt hash, then a 422 AppError and no user', async () => {
      const user = {
        accountId: alice.accountId,
        email: 'plain@acme.test',
        name: 'Plain',
        role: 'agent' as const,
        passwordHash: 'correct-horse',
      };

      const error = await appErrorOf(s.credentials.createUser(user));

      expect(error).toMatchObject({ status: 422, code: 'VALIDATION_FAILED' });
      expect(await s.credentials.findByEmail('plain@acme.test')).toBeNull();
    });

    it('When the token version is bumped, then the next lookup sees it one higher', async () => {
      await s.credentials.bumpTokenVersion(bob.id);
      await s.credentials.bumpTokenVersion(bob.id);

      expect((await s.credentials.findById(bob.id))?.tokenVersion).toBe(2);
      expect(await s.credentials.findById(MISSING_ID)).toBeNull();
    });
  });
}
