import { z } from 'zod';
import {
  CommentIdParamsSchema,
  CommentListQuerySchema,
  CommentSchema,
  NewCommentBodySchema,
} from '../comments/comments.schemas.ts';
import { dataEnvelope, pageEnvelope } from '../http/envelope.schemas.ts';
import { TicketListQuerySchema } from '../tickets/tickets.query.schemas.ts';
import {
  CreateTicketBodySchema,
  TicketIdParamsSchema,
  TicketSchema,
  TicketWithCommentsSchema,
  UpdateTicketBodySchema,
} from '../tickets/tickets.schemas.ts';
import type { RouteDoc } from './openapi.document.ts';
import { ACCOUNT_ROUTES, BY_ID, SIGNED_IN, WITH_BODY } from './openapi.routes.account.ts';
import { SYSTEM_ROUTES } from './openapi.routes.system.ts';

// LESSON: one table says, for every route, what it takes and every answer it can give. The
// document (openapi.document.ts) is generated from it, and the tests hold the app to it: a route
// missing here, or an answer it does not list, fails test/openapi/openapi.*.test.ts.
const TICKET = dataEnvelope(TicketSchema);
const STAFF = [...SIGNED_IN, 'FORBIDDEN'] as const;
const LOCATION = { Location: 'The new resource’s URL.' };
// A body-less write can still fail validation: the activity row names the caller, and a caller
// deleted mid-request fails its foreign key (test/tickets/tickets.resolve.test.ts).
const GHOST = ['VALIDATION_FAILED'] as const;

const TICKET_ROUTES: RouteDoc[] = [
  {
    method: 'get',
    path: '/tickets',
    tag: 'Tickets',
    summary: 'List the tickets you may see, a page at a time',
    auth: true,
    request: { query: TicketListQuerySchema },
    responses: {
      200: {
        description: 'A page of tickets (with their newest comments on `?include=comments`).',
        schema: pageEnvelope(z.union([TicketWithCommentsSchema, TicketSchema])),
      },
    },
    errors: [...SIGNED_IN, 'INVALID_QUERY'],
  },
  {
    method: 'post',
    path: '/tickets',
    tag: 'Tickets',
    summary: 'Open a ticket',
    auth: true,
    request: { body: CreateTicketBodySchema },
    responses: { 201: { description: 'Created.', schema: TICKET, headers: LOCATION } },
    errors: [...SIGNED_IN, 'FORBIDDEN', ...WITH_BODY, 'BUSINESS_RULE_VIOLATION'],
  },
  {
    method: 'get',
    path: '/tickets/:id',
    tag: 'Tickets',
    summary: 'One ticket (conditional: send its ETag as If-None-Match for a 304)',
    auth: true,
    request: { params: TicketIdParamsSchema },
    responses: {
      200: {
        description: 'The ticket.',
        schema: TICKET,
        headers: { ETag: 'This representation.' },
      },
      304: { description: 'Not modified: the ticket is still the one your ETag names.' },
    },
    errors: [...SIGNED_IN, ...BY_ID],
  },
  {
    method: 'patch',
    path: '/tickets/:id',
    tag: 'Tickets',
    summary: 'Change some fields of a ticket (agents and admins)',
    auth: true,
    request: { params: TicketIdParamsSchema, body: UpdateTicketBodySchema },
    responses: { 200: { description: 'The ticket as it is now.', schema: TICKET } },
    errors: [...STAFF, ...BY_ID, ...WITH_BODY, 'BUSINESS_RULE_VIOLATION'],
  },
  {
    method: 'delete',
    path: '/tickets/:id',
    tag: 'Tickets',
    summary: 'Delete a ticket (admins)',
    auth: true,
    request: { params: TicketIdParamsSchema },
    responses: { 204: { description: 'Deleted.' } },
    errors: [...STAFF, ...BY_ID, ...GHOST],
  },
  {
    method: 'post',
    path: '/tickets/:id/resolve',
    tag: 'Tickets',
    summary: 'Resolve a ticket (agents and admins)',
    auth: true,
    request: { params: TicketIdParamsSchema },
    responses: { 200: { description: 'The resolved ticket.', schema: TICKET } },
    errors: [...STAFF, ...BY_ID, ...GHOST, 'CONFLICT'],
  },
  {
    method: 'get',
    path: '/tickets/:id/comments',
    tag: 'Comments',
    summary: 'A ticket’s conversation, oldest first, a page at a time',
    auth: true,
    request: { params: TicketIdParamsSchema, query: CommentListQuerySchema },
    responses: { 200: { description: 'A page of comments.', schema: pageEnvelope(CommentSchema) } },
    errors: [...SIGNED_IN, ...BY_ID, 'INVALID_QUERY'],
  },
  {
    method: 'post',
    path: '/tickets/:id/comments',
    tag: 'Comments',
    summary: 'Add a comment to a ticket',
    auth: true,
    request: { params: TicketIdParamsSchema, body: NewCommentBodySchema },
    responses: {
      201: { description: 'Created.', schema: dataEnvelope(CommentSchema), headers: LOCATION },
    },
    errors: [...SIGNED_IN, ...BY_ID, ...WITH_BODY],
  },
  {
    method: 'get',
    path: '/tickets/:id/comments/:commentId',
    tag: 'Comments',
    summary: 'One comment',
    auth: true,
    request: { params: CommentIdParamsSchema },
    responses: { 200: { description: 'The comment.', schema: dataEnvelope(CommentSchema) } },
    errors: [...SIGNED_IN, ...BY_ID],
  },
];

/** Every route of the API, in the order the document lists them. */
export const API_ROUTES: readonly RouteDoc[] = [
  ...ACCOUNT_ROUTES,
  ...TICKET_ROUTES,
  ...SYSTEM_ROUTES,
];
