import type { RequestHandler } from 'express';
import { sendData, sendNoContent } from '../http/respond.ts';
import { validated } from '../middleware/validate.ts';
import { LoginBodySchema, RegisterBodySchema } from './auth.schemas.ts';
import type { AuthService } from './auth.service.ts';

/** What each route validates: the router hands these to validate(), handlers read them typed. */
export const AUTH_ROUTES = {
  register: { body: RegisterBodySchema },
  login: { body: LoginBodySchema },
};

export interface AuthHandlers {
  register: RequestHandler;
  login: RequestHandler;
  logoutAll: RequestHandler;
}

export function createAuthHandlers(service: AuthService): AuthHandlers {
  return {
    async register(req, res) {
      const user = await service.register(validated(res, AUTH_ROUTES.register).body);
      // The user, never a secret: no password, no hash, and no token (log in for one).
      sendData(res, 201, user, { Location: `${req.baseUrl}/users/${user.id}` });
    },

    async login(_req, res) {
      const { email, password } = validated(res, AUTH_ROUTES.login).body;
      sendData(res, 200, await service.login(email, password));
    },

    async logoutAll(_req, res) {
      await service.logoutAll(res.locals.user);
      sendNoContent(res);
    },
  };
}
