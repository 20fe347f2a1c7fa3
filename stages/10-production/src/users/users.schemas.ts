import { z } from 'zod';
import { EmailSchema, NAME_MAX_LENGTH, PasswordSchema } from '../auth/auth.schemas.ts';
import { IdSchema, nonEmptyText } from '../http/common.schemas.ts';

// Who an admin may add: a second admin is made by hand, on purpose.
const ADDABLE_ROLES = ['agent', 'customer'] as const;

export const NewUserBodySchema = z
  .strictObject({
    email: EmailSchema,
    password: PasswordSchema,
    name: nonEmptyText({ field: 'name', label: 'Name', max: NAME_MAX_LENGTH }),
    role: z.enum(ADDABLE_ROLES, {
      error: (issue) =>
        issue.input === undefined
          ? 'role is required.'
          : `Role must be one of: ${ADDABLE_ROLES.join(', ')}.`,
    }),
  })
  .meta({
    id: 'NewUserBody',
    description: 'An agent or a customer, added by an admin to their own account.',
    examples: [
      { email: 'bob@example.com', password: 'correct horse battery', name: 'Bob', role: 'agent' },
    ],
  });
export type NewUserFields = z.infer<typeof NewUserBodySchema>;

export const UserIdParamsSchema = z
  .strictObject({ id: IdSchema })
  .meta({ id: 'UserIdParams', description: 'A user’s id.' });
