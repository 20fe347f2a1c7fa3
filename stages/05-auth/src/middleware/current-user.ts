import type { User } from '@backend-path/shared/domain/users';
import type { RequestHandler } from 'express';
import { UnauthenticatedError } from '../errors.ts';
import type { UserLookup } from '../users/users.lookup.ts';

declare global {
  namespace Express {
    interface Locals {
      /** The caller, set by currentUser() on the routes that use it. */
      user: User;
    }
  }
}

// LESSON: a route that acts for someone needs to know who. Until stage 05, the caller simply
// says so in a header, and ANYONE can send any user's id: this is identification, not
// authentication. Stage 05 replaces this middleware with a signed token; the handlers keep
// reading res.locals.user and do not change.
export function currentUser(users: UserLookup): RequestHandler {
  return async (req, res, next) => {
    const id = req.get('X-User-Id');
    if (id === undefined || id === '') {
      throw new UnauthenticatedError('Send X-User-Id with the id of a known user.');
    }
    const user = await users.findById(id);
    if (!user) throw new UnauthenticatedError('X-User-Id does not name a known user.');
    res.locals.user = user;
    next();
  };
}
