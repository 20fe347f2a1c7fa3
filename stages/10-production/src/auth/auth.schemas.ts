import { USER_ROLES, type User } from '@backend-path/shared/domain/users';
import { z } from 'zod';
import {
  cleanText,
  IdSchema,
  nonEmptyText,
  requiredString,
  type Same,
} from '../http/common.schemas.ts';
import { PASSWORD_BYTES, passwordBytes } from './passwords.ts';
import type { IssuedToken } from './tokens.ts';

export const NAME_MAX_LENGTH = 200;
const EMAIL_MAX_LENGTH = 254;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const emailMessage = 'Email must be an e-mail address.';

export const EmailSchema = cleanText(requiredString('email'), 'Email')
  .max(EMAIL_MAX_LENGTH, emailMessage)
  .trim()
  .regex(EMAIL, emailMessage)
  .meta({ description: 'An e-mail address.', examples: ['alice@example.com'] });

// LESSON: the limit is in BYTES. bcrypt ignores everything after byte 72, so a longer password
// is refused (422), never silently cut: the user would believe all of it counts. NUL and lone
// surrogates are refused too: bcrypt would stop at the one, UTF-8 would blur the other.
export const PasswordSchema = cleanText(requiredString('password'), 'Password')
  .superRefine((password, ctx) => {
    const bytes = passwordBytes(password);
    if (bytes < PASSWORD_BYTES.min || bytes > PASSWORD_BYTES.max) {
      ctx.addIssue({
        code: 'custom',
        message: `Password must be ${PASSWORD_BYTES.min} to ${PASSWORD_BYTES.max} bytes in UTF-8 (this one is ${bytes}).`,
      });
    }
  })
  .meta({ description: '8 to 72 bytes in UTF-8.', examples: ['correct horse battery'] });

const name = (field: string, label: string) => nonEmptyText({ field, label, max: NAME_MAX_LENGTH });

// LESSON: mass assignment. A strict object reads only the listed keys; `role`, `accountId` or
// anything else in a sign-up body is a 422, not a silent promotion to admin of someone else's account.
export const RegisterBodySchema = z
  .strictObject({
    email: EmailSchema,
    password: PasswordSchema,
    name: name('name', 'Name'),
    accountName: name('accountName', 'Account name'),
  })
  .meta({
    id: 'RegisterBody',
    description: 'Sign-up: a new account, and its first user as its admin.',
    examples: [
      {
        email: 'alice@example.com',
        password: 'correct horse battery',
        name: 'Alice',
        accountName: 'Acme',
      },
    ],
  });
export type Registration = z.infer<typeof RegisterBodySchema>;

/** Login checks only the shape: what is wrong about a wrong password is the login's answer. */
export const LoginBodySchema = z
  .strictObject({
    email: requiredString('email').trim(),
    password: requiredString('password'),
  })
  .meta({
    id: 'LoginBody',
    description: 'An e-mail and a password.',
    examples: [{ email: 'alice@example.com', password: 'correct horse battery' }],
  });
export type Login = z.infer<typeof LoginBodySchema>;

export const AccessTokenSchema = z
  .object({
    accessToken: z.string().meta({ description: 'A JWT: send it as `Authorization: Bearer …`.' }),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().meta({ description: 'Seconds until it expires.' }),
  })
  .meta({
    id: 'AccessToken',
    description: 'What a successful login returns.',
    examples: [
      { accessToken: 'eyJhbGciOiJIUzI1NiJ9.e30.sig', tokenType: 'Bearer', expiresIn: 900 },
    ],
  });

export const UserSchema = z
  .object({
    id: IdSchema,
    accountId: IdSchema,
    email: z.string(),
    name: z.string(),
    role: z.enum(USER_ROLES),
    createdAt: z.iso.datetime(),
  })
  .meta({
    id: 'User',
    description: 'A person of an account. Never a password or its hash.',
    examples: [
      {
        id: '0b000000-0000-4000-8000-000000000001',
        accountId: '0a000000-0000-4000-8000-000000000001',
        email: 'alice@example.com',
        name: 'Alice',
        role: 'admin',
        createdAt: '2026-01-01T09:00:00.000Z',
      },
    ],
  });
export type UserResponse = z.infer<typeof UserSchema>;
export type AccessTokenResponse = z.infer<typeof AccessTokenSchema>;
// Compile-time only: what the code returns and what the schemas publish agree.
export const USER_SCHEMA_MATCHES_DOMAIN: Same<UserResponse, User> = true;
export const TOKEN_SCHEMA_MATCHES_SERVICE: Same<AccessTokenResponse, IssuedToken> = true;
