import type { ActivityType } from '@backend-path/shared/domain/activity';
import type { Ticket } from '@backend-path/shared/domain/tickets';
import { toComment } from '../comments/comments.repository.typeorm.ts';
import { describeDataError } from '../db/orm-errors.ts';
import { translateErrors } from '../db/translate-errors.ts';
import { ActivityEntity } from '../db/typeorm/activity.entity.ts';
import { CommentEntity } from '../db/typeorm/comment.entity.ts';
import { TicketEntity } from '../db/typeorm/ticket.entity.ts';
import { UserEntity } from '../db/typeorm/user.entity.ts';
import {
  countUpTo,
  type DataSource,
  type EntityManager,
  type FindOptionsWhere,
  ILike,
  In,
  Raw,
} from '../db/typeorm.ts';
import { isUuid } from './tickets.ids.ts';
import { isFinished, type OpenLimitReached } from './tickets.repository.ts';
import {
  boundedPage,
  COMMENTS_PER_TICKET,
  COUNT_CAP,
  type SearchableTicketRepository,
  type TicketSearch,
} from './tickets.search.ts';
import { escapeLike } from './tickets.sql.ts';

// The same contract as tickets.repository.pg.ts, written with TypeORM's Repository and
// EntityManager APIs (test/tickets/tickets.repository.contract.ts runs one suite against all
// three).

function toTicket(entity: TicketEntity): Ticket {
  return {
    id: entity.id,
    accountId: entity.accountId,
    subject: entity.subject,
    description: entity.description,
    priority: entity.priority,
    status: entity.status,
    createdBy: entity.createdBy,
    assigneeId: entity.assigneeId,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
    // After an INSERT, TypeORM only reads back columns with a default: resolved_at stays unset.
    resolvedAt: entity.resolvedAt?.toISOString() ?? null,
  };
}

function oldestFirst(a: CommentEntity, b: CommentEntity): number {
  const byTime = a.createdAt.getTime() - b.createdAt.getTime();
  return byTime !== 0 ? byTime : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

// LESSON: TypeORM 1 throws on `{ status: undefined }` in a where (0.3 silently dropped the
// condition — `delete({ id: undefined })` deleted every row), so optional filters are added
// only when present.
function ticketWhere(query: TicketSearch): FindOptionsWhere<TicketEntity> {
  const where: FindOptionsWhere<TicketEntity> = {};
  if (query.accountId !== undefined) where.accountId = query.accountId;
  if (query.status !== undefined) where.status = query.status;
  // ILike sends the pattern as a parameter and escapes nothing: escapeLike does, as in pg.
  if (query.q !== undefined && query.q !== '') where.subject = ILike(`%${escapeLike(query.q)}%`);
  return where;
}

/** The page's own filter: the list's, plus "after the cursor" on `?after=` (keyset). */
function pageWhere(query: TicketSearch): FindOptionsWhere<TicketEntity> {
  const where = ticketWhere(query);
  if (!query.after) return where;
  const { createdAt, id } = query.after;
  // LESSON: find options have no row comparison, and spelling it out as an array of wheres (an
  // OR: created_at < $t, or created_at = $t and id < $id) gives the index no range to start
  // from: the walk begins at the newest ticket and reads every row before the cursor
  // (tickets.plan.test.ts: "threw away"). Raw is the escape hatch, still parameterised.
  return {
    ...where,
    // Raw gets the property's path (TicketEntity.createdAt); TypeORM turns paths into columns.
    createdAt: Raw((column) => `(${column}, ${column.replace(/createdAt$/, 'id')}) < (:at, :id)`, {
      at: new Date(createdAt),
      id,
    }),
  };
}

const NEWEST_FIRST = { createdAt: 'DESC', id: 'DESC' } as const;

/** The page, and one row more: whether the list goes on (meta.hasMore). */
function findPage(query: TicketSearch) {
  return {
    where: pageWhere(query),
    order: NEWEST_FIRST,
    skip: query.after ? 0 : (query.page - 1) * query.pageSize,
    take: query.pageSize + 1,
  };
}

/** The ticket, loaded with its row locked (SELECT … FOR UPDATE) until the transaction ends. */
function lockTicket(manager: EntityManager, id: string) {
  return manager.findOne(TicketEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
}

// updated_at and resolved_at come from PostgreSQL's clock, like created_at (DEFAULT now()),
// never from this server's: a skewed app clock would break tickets_timestamps_ordered. One
// more round trip, inside the transaction (now() is the transaction's start).
async function databaseNow(manager: EntityManager): Promise<Date> {
  const [row] = await manager.query('SELECT now()::timestamptz(3) AS now');
  return row.now;
}

// The open-ticket limit, as in tickets.repository.pg.ts: lock the creator's row (FOR NO KEY
// UPDATE, so foreign-key checks are not blocked), then count; that user's writes take turns.
async function lockCreatorAndCountOpen(manager: EntityManager, userId: string) {
  await manager.findOne(UserEntity, { where: { id: userId }, lock: { mode: 'for_no_key_update' } });
  return manager.countBy(TicketEntity, { createdBy: userId, status: 'open' });
}

function record(
  manager: EntityManager,
  ticketId: string,
  actorId: string,
  type: ActivityType,
  details: Record<string, unknown>,
) {
  const entry: Partial<ActivityEntity> = { ticketId, actorId, type, details };
  return manager.save(manager.create(ActivityEntity, entry));
}

export function createTypeormTicketRepository(dataSource: DataSource): SearchableTicketRepository {
  const tickets = dataSource.getRepository(TicketEntity);
  const comments = dataSource.getRepository(CommentEntity);
  /** The list's rows counted up to COUNT_CAP + 1, along the page's index (tickets.sql.ts). */
  const counted = (query: TicketSearch) =>
    countUpTo(tickets, { where: ticketWhere(query), order: NEWEST_FIRST }, COUNT_CAP + 1);

  const repository: SearchableTicketRepository = {
    async create(input, maxOpen) {
      return dataSource.transaction(async (manager) => {
        const open = await lockCreatorAndCountOpen(manager, input.createdBy);
        if (open >= maxOpen) return { refused: 'open-limit', open } satisfies OpenLimitReached;
        // save() on a new entity: INSERT … RETURNING the columns the database filled in.
        return toTicket(await manager.save(manager.create(TicketEntity, input)));
      });
    },

    async findById(id) {
      if (!isUuid(id)) return null;
      const entity = await tickets.findOneBy({ id });
      return entity ? toTicket(entity) : null;
    },

    async list(query) {
      // The total counts the list from its start, not what is left after the cursor.
      const [entities, total] = await Promise.all([tickets.find(findPage(query)), counted(query)]);
      return boundedPage(entities.map(toTicket), query.pageSize, total);
    },

    // Unit of work: load the entity (locked: FOR UPDATE), change it in memory, save() writes
    // the columns that differ. The CASE of the raw UPDATE becomes plain TypeScript.
    async update(id, changes, { actorId, maxOpen }) {
      if (!isUuid(id)) return null;
      return dataSource.transaction(async (manager) => {
        const entity = await lockTicket(manager, id);
        if (!entity) return null;
        const from = entity.status;
        const newStatus = changes.status !== from ? changes.status : undefined;
        if (newStatus === 'open') {
          const open = await lockCreatorAndCountOpen(manager, entity.createdBy);
          if (open >= maxOpen) return { refused: 'open-limit', open } satisfies OpenLimitReached;
        }
        const now = await databaseNow(manager);
        Object.assign(entity, changes, { updatedAt: now });
        if (newStatus === 'resolved') entity.resolvedAt = now;
        if (changes.status === 'open' || changes.status === 'pending') entity.resolvedAt = null;
        const saved = toTicket(await manager.save(entity));
        if (newStatus !== undefined) {
          await record(manager, id, actorId, 'status_changed', { from, to: newStatus });
        }
        return saved;
      });
    },

    async remove(id, actorId) {
      if (!isUuid(id)) return false;
      return dataSource.transaction(async (manager) => {
        const entity = await lockTicket(manager, id);
        if (!entity) return false;
        await manager.delete(TicketEntity, { id });
        // The trail outlives the ticket (migrations/0006): a last row says who deleted what.
        await record(manager, id, actorId, 'deleted', {
          subject: entity.subject,
          status: entity.status,
        });
        return true;
      });
    },

    async countOpenByCreator(userId) {
      return tickets.countBy({ createdBy: userId, status: 'open' });
    },

    // dataSource.transaction: one QueryRunner (one connection), START TRANSACTION, the
    // callback's statements through its `manager`, COMMIT — ROLLBACK if the callback throws.
    async resolve(id, actorId) {
      if (!isUuid(id)) return null;
      return dataSource.transaction(async (manager) => {
        const entity = await lockTicket(manager, id);
        if (!entity) return null;
        const from = entity.status;
        if (isFinished(from)) return { refused: 'finished' as const, status: from };
        const now = await databaseNow(manager);
        Object.assign(entity, { status: 'resolved', resolvedAt: now, updatedAt: now });
        await manager.save(entity);
        await record(manager, id, actorId, 'resolved', { from });
        return toTicket(entity);
      });
    },

    // The page, then its tickets' comments: not `relations: { comments: true }`, which with
    // skip/take first runs a DISTINCT over tickets joined to every comment (a Seq Scan of
    // comments and a sort of the join, tickets.plan.test.ts), then loads the page joined again.
    async listWithComments(query) {
      const [entities, total] = await Promise.all([tickets.find(findPage(query)), counted(query)]);
      const ids = entities.map((entity) => entity.id);
      const all = ids.length
        ? await comments.find({
            where: { ticketId: In(ids) },
            order: { createdAt: 'ASC', id: 'ASC' },
          })
        : [];
      // Every comment of the page's tickets is read; only the newest are kept (as Prisma does).
      const items = entities.map((entity) => {
        const own = all.filter((comment) => comment.ticketId === entity.id).sort(oldestFirst);
        return {
          ...toTicket(entity),
          comments: own.slice(-COMMENTS_PER_TICKET).map(toComment),
          commentCount: own.length,
        };
      });
      return boundedPage(items, query.pageSize, total);
    },
  };
  return translateErrors(repository, describeDataError);
}
