import { type RequestHandler, Router } from 'express';
import { requireJson } from '../middleware/json-body.ts';
import { methodNotAllowed } from '../middleware/method-not-allowed.ts';
import { validate } from '../middleware/validate.ts';
import { AUTH_ROUTES, createAuthHandlers } from './auth.handlers.ts';
import type { AuthService } from './auth.service.ts';

/** Sign-up, login and logout-all, relative to `/api/v1`. Only logout-all needs a token. */
export function authRoutes(service: AuthService, caller: RequestHandler): Router {
  const handlers = createAuthHandlers(service);
  const json = requireJson();
  const router = Router();

  router
    .route('/auth/register')
    .post(json, validate(AUTH_ROUTES.register), handlers.register)
    .all(methodNotAllowed(['POST']));
  router
    .route('/auth/login')
    .post(json, validate(AUTH_ROUTES.login), handlers.login)
    .all(methodNotAllowed(['POST']));
  router
    .route('/auth/logout-all')
    .post(caller, handlers.logoutAll)
    .all(methodNotAllowed(['POST']));

  return router;
}
