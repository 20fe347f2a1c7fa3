import { Router } from 'express';
import { AppError } from '../errors.ts';
import { sendData, sendError } from '../http/respond.ts';
import type { Lifecycle } from '../lifecycle/lifecycle.ts';
import { methodNotAllowed } from '../middleware/method-not-allowed.ts';
import { checkReadiness, type DependencyCheck } from './readiness.ts';

/** 503 in the error envelope, as every error of this API; `fields` names each dependency down. */
function notReady(message: string, fields?: Record<string, string>): AppError {
  return new AppError(503, 'SERVICE_UNAVAILABLE', message, {
    fields,
    headers: { 'Retry-After': '5' },
  });
}

export interface HealthOptions {
  dependencies: readonly DependencyCheck[];
  lifecycle: Lifecycle;
  /** Longest one dependency may take to answer (READINESS_TIMEOUT_MS). */
  timeoutMs: number;
}

// LESSON: two questions, two routes. Liveness: "is this process stuck?" — a failure makes the
// orchestrator restart it, so it checks nothing outside the process (a database outage must not
// restart every replica at once). Readiness: "send me traffic?" — a failure only takes this
// instance out of the load balancer until it passes again.
export function healthRoutes({ dependencies, lifecycle, timeoutMs }: HealthOptions): Router {
  const router = Router();
  router
    .route('/health/live')
    .get(async (_req, res) => {
      sendData(res, 200, { status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
    })
    .all(methodNotAllowed(['GET']));
  router
    .route('/health/ready')
    .get(async (_req, res) => {
      // Draining: say so first, before the listener closes, so the balancer stops sending.
      if (lifecycle.shuttingDown) {
        return sendError(res, notReady('Shutting down: send requests to another instance.'));
      }
      const report = await checkReadiness(dependencies, timeoutMs);
      if (report.status !== 'unavailable') return sendData(res, 200, report);
      const down = Object.entries(report.dependencies).filter(([, d]) => d.status === 'down');
      const fields = Object.fromEntries(down.map(([name, d]) => [name, d.reason ?? 'down']));
      sendError(res, notReady(`Not ready: ${Object.keys(fields).join(', ')} down.`, fields));
    })
    .all(methodNotAllowed(['GET']));
  return router;
}
