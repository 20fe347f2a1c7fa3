import {
  AccessTokenSchema,
  LoginBodySchema,
  RegisterBodySchema,
  UserSchema,
} from '../auth/auth.schemas.ts';
import { dataEnvelope } from '../http/envelope.schemas.ts';
import { StatsQuerySchema, TicketStatsSchema } from '../stats/stats.schemas.ts';
import { NewUserBodySchema, UserIdParamsSchema } from '../users/users.schemas.ts';
import type { RouteDoc } from './openapi.document.ts';

// Errors that many routes share, by the reason they can happen.
/** Any request: too many of them; Accept without JSON; a bug; the database unreachable or too slow. */
export const ANY = [
  'RATE_LIMIT_EXCEEDED',
  'NOT_ACCEPTABLE',
  'INTERNAL_ERROR',
  'SERVICE_UNAVAILABLE',
] as const;
/** A route behind authenticate(). */
export const SIGNED_IN = [...ANY, 'UNAUTHENTICATED'] as const;
/** A route with `:id` in its path. */
export const BY_ID = ['INVALID_ID', 'NOT_FOUND'] as const;
/** A route that reads a JSON body. */
export const WITH_BODY = [
  'MALFORMED_JSON',
  'INVALID_BODY',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'VALIDATION_FAILED',
] as const;

const USER = dataEnvelope(UserSchema);
/** Where a cached answer came from (src/cache/cached-tickets.ts). */
export const CACHE_HEADER =
  '`HIT` (from Redis), `MISS` (from PostgreSQL, now cached) or `BYPASS` (Redis unavailable).';

export const ACCOUNT_ROUTES: RouteDoc[] = [
  {
    method: 'post',
    path: '/auth/register',
    tag: 'Auth',
    summary: 'Sign up: a new account and its first user, its admin',
    auth: false,
    request: { body: RegisterBodySchema },
    responses: {
      201: { description: 'Created.', schema: USER, headers: { Location: 'The new user’s URL.' } },
    },
    // SERVICE_UNAVAILABLE here also when Redis, which counts new users per address, is unreachable.
    errors: [...ANY, ...WITH_BODY, 'CONFLICT'],
  },
  {
    method: 'post',
    path: '/auth/login',
    tag: 'Auth',
    summary: 'Log in: an access token for the Authorization header',
    auth: false,
    request: { body: LoginBodySchema },
    responses: { 200: { description: 'Logged in.', schema: dataEnvelope(AccessTokenSchema) } },
    // SERVICE_UNAVAILABLE here also when Redis, which counts the tries, is unreachable.
    errors: [...ANY, ...WITH_BODY, 'INVALID_CREDENTIALS'],
  },
  {
    method: 'post',
    path: '/auth/logout-all',
    tag: 'Auth',
    summary: 'Revoke every access token you hold (this one included)',
    auth: true,
    responses: { 204: { description: 'Every older token is dead.' } },
    errors: [...SIGNED_IN],
  },
  {
    method: 'get',
    path: '/me',
    tag: 'Users',
    summary: 'Who the token belongs to',
    auth: true,
    responses: { 200: { description: 'You.', schema: USER } },
    errors: [...SIGNED_IN],
  },
  {
    method: 'post',
    path: '/users',
    tag: 'Users',
    summary: 'Add a user to your account (admins)',
    auth: true,
    request: { body: NewUserBodySchema },
    responses: {
      201: { description: 'Created.', schema: USER, headers: { Location: 'The new user’s URL.' } },
    },
    // SERVICE_UNAVAILABLE here also when Redis, which counts new users per address, is unreachable.
    errors: [...SIGNED_IN, 'FORBIDDEN', ...WITH_BODY, 'CONFLICT'],
  },
  {
    method: 'get',
    path: '/users/:id',
    tag: 'Users',
    summary: 'A user of your account (customers: only yourself)',
    auth: true,
    request: { params: UserIdParamsSchema },
    responses: { 200: { description: 'The user.', schema: USER } },
    errors: [...SIGNED_IN, ...BY_ID],
  },
  {
    method: 'get',
    path: '/stats',
    tag: 'Stats',
    summary: 'The account dashboard over the tickets you may see (cached)',
    auth: true,
    request: { query: StatsQuerySchema },
    responses: {
      200: {
        description: 'The dashboard.',
        schema: dataEnvelope(TicketStatsSchema),
        headers: { 'X-Cache': CACHE_HEADER },
      },
    },
    errors: [...SIGNED_IN, 'INVALID_QUERY'],
  },
];
