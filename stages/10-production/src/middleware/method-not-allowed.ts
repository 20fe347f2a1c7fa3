import type { RequestHandler } from 'express';
import { MethodNotAllowedError } from '../errors.ts';

// LESSON: a framework has defaults, and a contract is yours to keep. Express answers a known path
// with an unknown method by... trying the next route, and finally 404. Stage 01 promised
// 405 + Allow, so every route ends with this: `router.route(path).get(…).all(methodNotAllowed(…))`.
export function methodNotAllowed(methods: readonly string[]): RequestHandler {
  // Express answers HEAD with the GET handler (minus the body), so a GET route allows HEAD too;
  // every known path answers OPTIONS (the CORS preflight).
  const allow = [...methods.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])), 'OPTIONS'];
  return (req, res) => {
    if (req.method === 'OPTIONS') {
      res.set('Allow', allow.join(', ')).status(204).end();
      return;
    }
    throw new MethodNotAllowedError(req.method, allow);
  };
}
