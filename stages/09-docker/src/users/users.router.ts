import { type RequestHandler, Router } from 'express';
import { validateNewUser } from '../auth/auth.validation.ts';
import { sendData } from '../http/respond.ts';
import { authorize } from '../middleware/authorize.ts';
import { requireJson } from '../middleware/json-body.ts';
import { methodNotAllowed } from '../middleware/method-not-allowed.ts';
import { validIds } from '../middleware/valid-ids.ts';
import type { UserService } from './users.service.ts';

/** Who am I, and an admin's user management, relative to `/api/v1`. */
export function userRoutes(service: UserService, caller: RequestHandler): Router {
  const router = Router();

  router
    .route('/me')
    .get(caller, (_req, res) => sendData(res, 200, res.locals.user))
    .all(methodNotAllowed(['GET']));
  router
    .route('/users')
    .post(caller, authorize('admin'), requireJson(), async (req, res) => {
      const user = await service.create(res.locals.user, validateNewUser(req.body));
      sendData(res, 201, user, { Location: `${req.baseUrl}/users/${user.id}` });
    })
    .all(methodNotAllowed(['POST']));
  router
    .route('/users/:id')
    .get(caller, validIds(), async (req, res) => {
      sendData(res, 200, await service.get(res.locals.user, req.params.id));
    })
    .all(methodNotAllowed(['GET']));

  return router;
}
