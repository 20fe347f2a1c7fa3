import type { Route } from '../http/router.ts';
import { createReportHandlers } from './reports.handlers.ts';

export function reportRoutes(reportSize: number): Route[] {
  const reports = createReportHandlers(reportSize);
  return [{ method: 'GET', path: '/api/v1/reports/ticket-stats', handler: reports.ticketStats }];
}
