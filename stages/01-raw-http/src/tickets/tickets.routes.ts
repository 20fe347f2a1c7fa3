import type { Route } from '../http/router.ts';
import { createTicketHandlers } from './tickets.handlers.ts';
import type { TicketStore } from './tickets.store.ts';

export function ticketRoutes(store: TicketStore): Route[] {
  const tickets = createTicketHandlers(store);
  return [
    { method: 'GET', path: '/api/v1/tickets', handler: tickets.list },
    { method: 'POST', path: '/api/v1/tickets', handler: tickets.create },
    { method: 'GET', path: '/api/v1/tickets/:id', handler: tickets.get },
    { method: 'PATCH', path: '/api/v1/tickets/:id', handler: tickets.update },
    { method: 'DELETE', path: '/api/v1/tickets/:id', handler: tickets.remove },
  ];
}
