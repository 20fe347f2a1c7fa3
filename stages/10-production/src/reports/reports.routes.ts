import { type RequestHandler, Router } from 'express';
import { authorize } from '../middleware/authorize.ts';
import { methodNotAllowed } from '../middleware/method-not-allowed.ts';
import { validate } from '../middleware/validate.ts';
import {
  createReportHandlers,
  type ReportOptions,
  TICKET_STATS_ROUTE,
} from './reports.handlers.ts';

// Seconds of CPU a call, and `mode=blocking` stalls every other request on purpose (stage 01's
// lesson): now that callers exist, only an admin may order one.
export function reportRoutes(options: ReportOptions, caller: RequestHandler): Router {
  const reports = createReportHandlers(options);
  const router = Router();
  router
    .route('/reports/ticket-stats')
    .get(caller, authorize('admin'), validate(TICKET_STATS_ROUTE), reports.ticketStats)
    .all(methodNotAllowed(['GET']));
  return router;
}
