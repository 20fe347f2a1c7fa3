import { type RequestHandler, Router } from 'express';
import { sendData } from '../http/respond.ts';
import { authorize } from '../middleware/authorize.ts';
import { requireJson } from '../middleware/json-body.ts';
import { methodNotAllowed } from '../middleware/method-not-allowed.ts';
import { validate, validated } from '../middleware/validate.ts';
import { NewUserBodySchema, UserIdParamsSchema } from './users.schemas.ts';
import type { UserService } from './users.service.ts';

/** Who am I, and an admin's user management, relative to `/api/v1`. */
/** What each route validates (validate() in the routes below, validated() in their handlers). */
export const USER_ROUTES = {
  create: { body: NewUserBodySchema },
  byId: { params: UserIdParamsSchema },
};

export function userRoutes(service: UserService, caller: RequestHandler): Router {
  const { create: newUser, byId } = USER_ROUTES;
  const router = Router();

  router
    .route('/me')
    .get(caller, (_req, res) => sendData(res, 200, res.locals.user))
    .all(methodNotAllowed(['GET']));
  router
    .route('/users')
    .post(caller, authorize('admin'), requireJson(), validate(newUser), async (req, res) => {
      const user = await service.create(res.locals.user, validated(res, newUser).body);
      sendData(res, 201, user, { Location: `${req.baseUrl}/users/${user.id}` });
    })
    .all(methodNotAllowed(['POST']));
  router
    .route('/users/:id')
    .get(caller, validate(byId), async (_req, res) => {
      sendData(res, 200, await service.get(res.locals.user, validated(res, byId).params.id));
    })
    .all(methodNotAllowed(['GET']));

  return router;
}
