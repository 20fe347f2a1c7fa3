import type { Histogram } from 'node:perf_hooks';
import { type RequestHandler, Router } from 'express';
import { sendData, sendNoContent } from '../http/respond.ts';
import { authorize } from '../middleware/authorize.ts';
import { methodNotAllowed } from '../middleware/method-not-allowed.ts';

/** The part of `monitorEventLoopDelay()` we read: lets tests pass a fake. */
export type EventLoopDelay = Pick<Histogram, 'count' | 'percentile' | 'max' | 'reset'>;

/** server.ts samples with this timer interval: `monitorEventLoopDelay({ resolution })`. */
export const EVENT_LOOP_RESOLUTION_MS = 10;

// The histogram records, in nanoseconds, the time between two ticks of a 10 ms timer; minus the
// 10 ms it should take, that is how late the loop was.
function lateMs(nanoseconds: number): number {
  return Math.max(0, Math.round((nanoseconds / 1e6 - EVENT_LOOP_RESOLUTION_MS) * 100) / 100);
}

export function systemRoutes(eventLoopDelay: EventLoopDelay, caller: RequestHandler): Router {
  const router = Router();
  router
    .route('/health')
    // Deliberately cheap: how fast it answers is how free the event loop is.
    .get(async (_req, res) => sendData(res, 200, { status: 'ok' }))
    .all(methodNotAllowed(['GET']));
  router
    .route('/metrics/event-loop')
    // Event-loop delay since the start or the last reset. A GET only reads: two GETs in a row
    // show the same window (a monitoring scraper must not erase what a person is looking at).
    .get(async (_req, res) => {
      const samples = eventLoopDelay.count;
      const empty = samples === 0; // an empty histogram answers garbage (min = 2^63)
      const delay = {
        samples,
        p50Ms: empty ? 0 : lateMs(eventLoopDelay.percentile(50)),
        p99Ms: empty ? 0 : lateMs(eventLoopDelay.percentile(99)),
        maxMs: empty ? 0 : lateMs(eventLoopDelay.max),
      };
      sendData(res, 200, delay);
    })
    .all(methodNotAllowed(['GET']));
  router
    .route('/metrics/event-loop/reset')
    // Starting a new window changes state, so it is a POST (labs/event-loop.ts sends one), and
    // it erases what someone may be reading: an admin's, not anyone's.
    .post(caller, authorize('admin'), (_req, res) => {
      eventLoopDelay.reset();
      sendNoContent(res);
    })
    .all(methodNotAllowed(['POST']));
  return router;
}
