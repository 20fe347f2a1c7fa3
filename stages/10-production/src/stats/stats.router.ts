import { type RequestHandler, Router } from 'express';
import { queryKey } from '../cache/cache-keys.ts';
import { setCacheHeader } from '../cache/cached-tickets.ts';
import type { QueryCache } from '../cache/query-cache.ts';
import { sendData } from '../http/respond.ts';
import { methodNotAllowed } from '../middleware/method-not-allowed.ts';
import { validate } from '../middleware/validate.ts';
import { visibleTo } from '../tickets/tickets.access.ts';
import type { StatsRepository } from './stats.repository.pg.ts';
import { StatsQuerySchema } from './stats.schemas.ts';

/** What the route validates (its query: nothing allowed). */
export const STATS_ROUTES = { get: { query: StatsQuerySchema } };

/** The account dashboard, relative to `/api/v1`: every role, each over what it may see. */
export function statsRoutes(stats: StatsRepository, cache: QueryCache, caller: RequestHandler) {
  const router = Router();
  router
    .route('/stats')
    .get(caller, validate(STATS_ROUTES.get), async (_req, res) => {
      // The same scope as the ticket list: the account, and a customer's own tickets only.
      const { accountId } = res.locals.user;
      const scope = { ...visibleTo(res.locals.user), accountId };
      const { value, status } = await cache.read(accountId, queryKey('stats', scope), () =>
        stats.ticketStats(scope),
      );
      setCacheHeader(res, { cache: status });
      sendData(res, 200, value);
    })
    .all(methodNotAllowed(['GET']));
  return router;
}
