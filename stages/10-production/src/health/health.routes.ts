import { Router } from 'express';
import { sendData } from '../http/respond.ts';
import type { Lifecycle } from '../lifecycle/lifecycle.ts';
import { methodNotAllowed } from '../middleware/method-not-allowed.ts';
import { checkReadiness, type DependencyCheck } from './readiness.ts';

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
        const report = { status: 'shutting_down', timestamp: new Date().toISOString() };
        return sendData(res, 503, { ...report, dependencies: {} }, { 'Retry-After': '5' });
      }
      const report = await checkReadiness(dependencies, timeoutMs);
      sendData(res, report.status === 'unavailable' ? 503 : 200, report);
    })
    .all(methodNotAllowed(['GET']));
  return router;
}
