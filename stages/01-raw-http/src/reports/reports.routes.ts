import type { Route } from '../http/router.ts';
import { createReportHandlers, type ReportOptions } from './reports.handlers.ts';

export function reportRoutes(prefix: string, options: ReportOptions): Route[] {
  const reports = createReportHandlers(options);
  return [{ method: 'GET', path: `${prefix}/reports/ticket-stats`, handler: reports.ticketStats }];
}
