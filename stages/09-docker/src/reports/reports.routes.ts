import { Router } from 'express';
import { methodNotAllowed } from '../middleware/method-not-allowed.ts';
import { createReportHandlers, type ReportOptions } from './reports.handlers.ts';

export function reportRoutes(options: ReportOptions): Router {
  const reports = createReportHandlers(options);
  const router = Router();
  router
    .route('/reports/ticket-stats')
    .get(reports.ticketStats)
    .all(methodNotAllowed(['GET']));
  return router;
}
