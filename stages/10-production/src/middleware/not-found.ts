import type { RequestHandler } from 'express';
import { NotFoundError } from '../errors.ts';

/** After every route: nothing matched. Express's own 404 is an HTML page; ours is the envelope. */
export function notFound(): RequestHandler {
  return (req) => {
    throw new NotFoundError(`No route for ${req.path}.`);
  };
}
