import type { UserRole } from '@backend-path/shared/domain/users';
import type { RequestHandler } from 'express';
import { ForbiddenError } from '../errors.ts';

// LESSON: authorisation comes after authentication: 401 = "who are you?", 403 = "I know who
// you are, and your role may not do this". Which ROWS a role may touch is the services' job
// (tickets.access.ts): another account's ticket is a 404, never a 403.
export function authorize(...roles: UserRole[]): RequestHandler {
  return (_req, res, next) => {
    if (!roles.includes(res.locals.user.role)) {
      throw new ForbiddenError(`This needs the role ${roles.join(' or ')}.`);
    }
    next();
  };
}
