import type { RequestHandler } from 'express';
import { sendData, sendNoContent } from '../http/respond.ts';
import type { AuthService } from './auth.service.ts';
import { validateLogin, validateRegistration } from './auth.validation.ts';

export interface AuthHandlers {
  register: RequestHandler;
  login: RequestHandler;
  logoutAll: RequestHandler;
}

export function createAuthHandlers(service: AuthService): AuthHandlers {
  return {
    async register(req, res) {
      const user = await service.register(validateRegistration(req.body));
      // The user, never a secret: no password, no hash, and no token (log in for one).
      sendData(res, 201, user, { Location: `${req.baseUrl}/users/${user.id}` });
    },

    async login(req, res) {
      const { email, password } = validateLogin(req.body);
      sendData(res, 200, await service.login(email, password));
    },

    async logoutAll(_req, res) {
      await service.logoutAll(res.locals.user);
      sendNoContent(res);
    },
  };
}
