import { type RequestHandler, Router } from 'express';
import { queryKey } from '../cache/cache-keys.ts';
import { setCacheHeader } from '../cache/cached-tickets.ts';
import type { QueryCache } from '../cache/query-cache.ts';
import { InvalidQueryError } from '../errors.ts';
import { sendData } from '../http/respond.ts';
import { methodNotAllowed } from '../middleware/method-not-allowed.ts';
import { visibleTo } from '../tickets/tickets.access.ts';
import type { StatsRepository } from './stats.repository.pg.ts';

/** The account dashboard, relative to `/api/v1`: every role, each over what it may see. */
export function statsRoutes(stats: StatsRepository, cache: QueryCache, caller: RequestHandler) {
  const router = Router();
  router
    .route('/stats')
    .get(caller, async (req, res) => {
      // The dashboard takes no parameters: refuse any, rather than cache one answer per typo.
      const unknown = Object.keys(req.query);
      if (unknown.length > 0) {
        const fields = Object.fromEntries(unknown.map((name) => [name, 'unknown parameter']));
        throw new InvalidQueryError(fields, 'GET /api/v1/stats takes no query parameters.');
      }
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
