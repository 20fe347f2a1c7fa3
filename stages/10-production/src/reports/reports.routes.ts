import { Router } from 'express';
import { methodNotAllowed } from '../middleware/method-not-allowed.ts';
import { validate } from '../middleware/validate.ts';
import {
  createReportHandlers,
  type ReportOptions,
  TICKET_STATS_ROUTE,
} from './reports.handlers.ts';

export function reportRoutes(options: ReportOptions): Router {
  const reports = createReportHandlers(options);
  const router = Router();
  router
    .route('/reports/ticket-stats')
    .get(validate(TICKET_STATS_ROUTE), reports.ticketStats)
    .all(methodNotAllowed(['GET']));
  return router;
}
