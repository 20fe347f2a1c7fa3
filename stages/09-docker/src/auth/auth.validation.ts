import type { UserRole } from '@backend-path/shared/domain/users';
import { type FieldErrors, InvalidBodyError, ValidationError } from '../errors.ts';
import { PASSWORD_BYTES, passwordBytes } from './passwords.ts';

type Check = (value: unknown) => string | undefined;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NAME_MAX_LENGTH = 200;
const EMAIL_MAX_LENGTH = 254;
// Who an admin may add: a second admin is made by hand, on purpose.
const ADDABLE_ROLES: readonly UserRole[] = ['agent', 'customer'];

function text(label: string): Check {
  return (value) => {
    if (typeof value !== 'string' || value.trim() === '')
      return `${label} must be a non-empty string.`;
    if (value.trim().length > NAME_MAX_LENGTH) {
      return `${label} must be at most ${NAME_MAX_LENGTH} characters.`;
    }
  };
}

const CHECKS = {
  email: (value) =>
    typeof value === 'string' && value.length <= EMAIL_MAX_LENGTH && EMAIL.test(value.trim())
      ? undefined
      : 'Email must be an e-mail address.',
  // LESSON: the limit is in BYTES. bcrypt ignores everything after byte 72, so a longer password
  // is refused (422), never silently cut: the user would believe all of it counts.
  password: (value) => {
    if (typeof value !== 'string') return 'Password must be a string.';
    const bytes = passwordBytes(value);
    if (bytes < PASSWORD_BYTES.min || bytes > PASSWORD_BYTES.max) {
      return `Password must be ${PASSWORD_BYTES.min} to ${PASSWORD_BYTES.max} bytes in UTF-8 (this one is ${bytes}).`;
    }
  },
  name: text('Name'),
  accountName: text('Account name'),
  role: (value) =>
    ADDABLE_ROLES.includes(value as UserRole)
      ? undefined
      : `Role must be one of: ${ADDABLE_ROLES.join(', ')}.`,
} satisfies Record<string, Check>;

type FieldName = keyof typeof CHECKS;

// LESSON: mass assignment. Only the listed keys are read; `role`, `accountId` or anything else
// in a sign-up body is a 422, not a silent promotion to admin of someone else's account.
function checkFields(body: unknown, fields: readonly FieldName[], checkValues = true) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidBodyError();
  }
  const input = body as Record<string, unknown>;
  // A Map, then fromEntries: own keys such as "__proto__" are recorded like any other.
  const errors = new Map<string, string>();
  for (const key of Object.keys(input)) {
    if (!fields.includes(key as FieldName)) errors.set(key, 'Unknown field.');
  }
  for (const field of fields) {
    const value = input[field];
    if (value === undefined) errors.set(field, `${field} is required.`);
    else if (typeof value !== 'string') errors.set(field, `${field} must be a string.`);
    else if (checkValues) {
      const message = CHECKS[field](value);
      if (message) errors.set(field, message);
    }
  }
  if (errors.size > 0) throw new ValidationError(Object.fromEntries(errors) as FieldErrors);
  return input as Record<FieldName, string>;
}

export interface Registration {
  email: string;
  password: string;
  name: string;
  accountName: string;
}

export function validateRegistration(body: unknown): Registration {
  const input = checkFields(body, ['email', 'password', 'name', 'accountName']);
  return {
    email: input.email.trim(),
    password: input.password,
    name: input.name.trim(),
    accountName: input.accountName.trim(),
  };
}

export interface NewUserFields {
  email: string;
  password: string;
  name: string;
  role: UserRole;
}

export function validateNewUser(body: unknown): NewUserFields {
  const input = checkFields(body, ['email', 'password', 'name', 'role']);
  return {
    email: input.email.trim(),
    password: input.password,
    name: input.name.trim(),
    role: input.role as UserRole,
  };
}

/** Login checks only the shape: what is wrong about a wrong password is the login's answer. */
export function validateLogin(body: unknown): { email: string; password: string } {
  const input = checkFields(body, ['email', 'password'], false);
  return { email: input.email.trim(), password: input.password };
}
