import { LiveSchema, ReadinessSchema } from '../health/health.schemas.ts';
import { dataEnvelope } from '../http/envelope.schemas.ts';
import { TicketStatsQuerySchema, TicketStatsReportSchema } from '../reports/reports.schemas.ts';
import {
  EventLoopDelaySchema,
  HealthSchema,
  OpenApiDocumentSchema,
} from '../system/system.schemas.ts';
import type { RouteDoc } from './openapi.document.ts';

// Routes that need no token and touch no database: no 401, no 503 from a pool.
const ANY = ['RATE_LIMIT_EXCEEDED', 'NOT_ACCEPTABLE', 'INTERNAL_ERROR'] as const;
// An admin's (the report, resetting the window): a token (401), the role (403), and the
// caller's lookup in the database (503).
const ADMIN = ['UNAUTHENTICATED', 'FORBIDDEN', 'SERVICE_UNAVAILABLE'] as const;
// The health checks are outside the rate limit (src/middleware/rate-limit.ts): never a 429.
const HEALTH = ANY.filter((code) => code !== 'RATE_LIMIT_EXCEEDED');

export const SYSTEM_ROUTES: RouteDoc[] = [
  {
    method: 'get',
    path: '/reports/ticket-stats',
    tag: 'Reports',
    summary: 'A CPU-heavy report, on this thread or a worker thread (admins)',
    auth: true,
    request: { query: TicketStatsQuerySchema },
    responses: {
      200: {
        description: 'The report and how long it took.',
        schema: dataEnvelope(TicketStatsReportSchema),
      },
    },
    // NOT_FOUND: off (in production unless REPORTS_ENABLED=true), as if it did not exist.
    errors: [...ANY, ...ADMIN, 'INVALID_QUERY', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/health',
    tag: 'System',
    summary: 'Liveness: answers as fast as the event loop is free',
    auth: false,
    responses: { 200: { description: 'Alive.', schema: dataEnvelope(HealthSchema) } },
    errors: HEALTH,
  },
  {
    method: 'get',
    path: '/health/live',
    tag: 'System',
    summary: 'Liveness: the process runs (checks nothing outside it)',
    auth: false,
    responses: { 200: { description: 'Alive.', schema: dataEnvelope(LiveSchema) } },
    errors: HEALTH,
  },
  {
    method: 'get',
    path: '/health/ready',
    tag: 'System',
    summary: 'Readiness: every dependency checked at once, each within READINESS_TIMEOUT_MS',
    auth: false,
    responses: {
      200: {
        description: 'Ready (`degraded`: an optional dependency is down).',
        schema: dataEnvelope(ReadinessSchema),
      },
    },
    // 503: a required dependency is down (`fields` names each, with why), or shutting down.
    errors: [...HEALTH, 'SERVICE_UNAVAILABLE'],
  },
  {
    method: 'get',
    path: '/metrics/event-loop',
    tag: 'System',
    summary: 'Event-loop delay since the start or the last reset',
    auth: false,
    responses: { 200: { description: 'The delay.', schema: dataEnvelope(EventLoopDelaySchema) } },
    errors: ANY,
  },
  {
    method: 'post',
    path: '/metrics/event-loop/reset',
    tag: 'System',
    summary: 'Start a new event-loop delay window (admins)',
    auth: true,
    responses: { 204: { description: 'Reset.' } },
    errors: [...ANY, ...ADMIN],
  },
  {
    method: 'get',
    path: '/openapi.json',
    tag: 'System',
    summary: 'This document',
    auth: false,
    responses: { 200: { description: 'The OpenAPI 3.1 document.', schema: OpenApiDocumentSchema } },
    errors: ANY,
  },
];
