import type { User } from '@backend-path/shared/domain/users';
import { InvalidCredentialsError } from '../errors.ts';
import type { Registration } from './auth.schemas.ts';
import type { CredentialsRepository } from './credentials.repository.pg.ts';
import { PASSWORD_BYTES, type PasswordHasher, passwordBytes } from './passwords.ts';
import type { IssuedToken, TokenService } from './tokens.ts';

export interface AuthService {
  /** The SaaS sign-up: a new account, and its first user as its admin. */
  register(fields: Registration): Promise<User>;
  login(email: string, password: string): Promise<IssuedToken>;
  logoutAll(caller: User): Promise<void>;
}

export function createAuthService(
  credentials: CredentialsRepository,
  passwords: PasswordHasher,
  tokens: TokenService,
): AuthService {
  return {
    async register({ accountName, email, name, password }) {
      const passwordHash = await passwords.hash(password);
      // No "is the e-mail taken?" query first: two sign-ups could both pass it. The unique
      // index decides, atomically (23505 → 409 on `email`, src/db/pg-errors.ts).
      return credentials.registerAccount(accountName, { email, name, passwordHash });
    },

    // LESSON: a login that fails says nothing about why, and takes as long either way. An
    // unknown e-mail still costs one bcrypt compare (against a dummy hash), or the answer's
    // timing alone would tell an attacker which e-mails have accounts.
    async login(email, password) {
      const found = await credentials.findByEmail(email);
      const matches = await passwords.verify(password, found?.passwordHash ?? passwords.dummyHash);
      // bcrypt would compare only the first 72 bytes: a longer password never matches.
      const tooLong = passwordBytes(password) > PASSWORD_BYTES.max;
      if (!found?.passwordHash || !matches || tooLong) throw new InvalidCredentialsError();
      return tokens.issue(found.user, found.tokenVersion);
    },

    async logoutAll(caller) {
      await credentials.bumpTokenVersion(caller.id);
    },
  };
}
