import type { RequestHandler } from 'express';
import { InvalidIdError } from '../errors.ts';
import { isUuid } from '../tickets/tickets.ids.ts';

/**
 * Every path parameter of this API is an id (`:id`, `:commentId`), and every id is a UUID: one
 * that is not is a 400 INVALID_ID here, before the handler can send it to PostgreSQL.
 */
export function validIds(): RequestHandler {
  return (req, _res, next) => {
    for (const value of Object.values(req.params)) {
      if (typeof value !== 'string' || !isUuid(value)) throw new InvalidIdError();
    }
    next();
  };
}
