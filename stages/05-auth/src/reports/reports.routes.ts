import { Router } from 'express';
import { methodNotAllowed } from '../middleware/method-not-allowed.ts';
import { createReportHandlers } from './reports.handlers.ts';

export function reportRoutes(reportSize: number): Router {
  const reports = createReportHandlers(reportSize);
  const router = Router();
  router
    .route('/reports/ticket-stats')
    .get(reports.ticketStats)
    .all(methodNotAllowed(['GET']));
  return router;
}
