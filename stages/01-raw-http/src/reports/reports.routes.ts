import type { Route } from '../http/router.ts';
import { createReportHandlers } from './reports.handlers.ts';

export function reportRoutes(prefix: string, reportSize: number): Route[] {
  const reports = createReportHandlers(reportSize);
  return [{ method: 'GET', path: `${prefix}/reports/ticket-stats`, handler: reports.ticketStats }];
}
