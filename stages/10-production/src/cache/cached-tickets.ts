import type { Response } from 'express';
import type { CommentService } from '../comments/comments.service.ts';
import { visibleTo } from '../tickets/tickets.access.ts';
import type { TicketService } from '../tickets/tickets.service.ts';
import { queryKey } from './cache-keys.ts';
import type { CacheStatus, QueryCache } from './query-cache.ts';

/** What a cached read adds to its answer, for the X-Cache header. */
export interface CacheInfo {
  cache?: CacheStatus;
}

/** `X-Cache: HIT | MISS | BYPASS`: whether Redis answered, for clients, tests and the lab. */
export function setCacheHeader(res: Response, info: CacheInfo): void {
  if (info.cache) res.set('X-Cache', info.cache);
}

// LESSON: cache-aside, wrapped around the service rather than inside it: reads ask the cache
// first, and EVERY write that can change a cached answer (create, update — which covers
// assign, reopen, close —, resolve, delete) bumps the caller's account version afterwards.
// A ticket never changes account and a caller only writes in their own, so the caller's
// account is the one whose answers changed. No key is ever searched for and deleted.
export function cachedTicketService(service: TicketService, cache: QueryCache): TicketService {
  // Every method spelled out (no `...service`): a write method added to TicketService later
  // fails to compile here until someone decides what it invalidates.
  return {
    get: (id, caller) => service.get(id, caller),
    async list(query, caller) {
      // The scope (account, and the customer for a customer) is part of the key: an agent's
      // page and a customer's page of the same query are different answers.
      const key = queryKey('tickets', { ...query, ...visibleTo(caller) });
      const { value, status } = await cache.read(caller.accountId, key, () =>
        service.list(query, caller),
      );
      return { ...value, cache: status };
    },
    async listWithComments(query, caller) {
      const key = queryKey('tickets+comments', { ...query, ...visibleTo(caller) });
      const { value, status } = await cache.read(caller.accountId, key, () =>
        service.listWithComments(query, caller),
      );
      return { ...value, cache: status };
    },
    async create(caller, fields) {
      const created = await service.create(caller, fields);
      await cache.invalidate(caller.accountId);
      return created;
    },
    async update(id, changes, caller) {
      const updated = await service.update(id, changes, caller);
      await cache.invalidate(caller.accountId);
      return updated;
    },
    async remove(id, caller) {
      await service.remove(id, caller);
      await cache.invalidate(caller.accountId);
    },
    async resolve(id, caller) {
      const resolved = await service.resolve(id, caller);
      await cache.invalidate(caller.accountId);
      return resolved;
    },
  };
}

/** A new comment changes `?include=comments` pages (their comments and commentCount). */
export function cachedCommentService(service: CommentService, cache: QueryCache): CommentService {
  return {
    list: (ticketId, page, caller) => service.list(ticketId, page, caller),
    get: (ticketId, commentId, caller) => service.get(ticketId, commentId, caller),
    async add(ticketId, caller, body) {
      const comment = await service.add(ticketId, caller, body);
      await cache.invalidate(caller.accountId);
      return comment;
    },
  };
}
