import type { Route } from '../http/router.ts';
import { createTicketHandlers } from './tickets.handlers.ts';
import type { TicketStore } from './tickets.store.ts';

/** The ticket routes under `prefix` (app.ts's API_PREFIX, its one definition). */
export function ticketRoutes(store: TicketStore, prefix: string): Route[] {
  const tickets = createTicketHandlers(store, prefix);
  return [
    { method: 'GET', path: `${prefix}/tickets`, handler: tickets.list },
    { method: 'POST', path: `${prefix}/tickets`, handler: tickets.create },
    { method: 'GET', path: `${prefix}/tickets/:id`, handler: tickets.get },
    { method: 'PATCH', path: `${prefix}/tickets/:id`, handler: tickets.update },
    { method: 'DELETE', path: `${prefix}/tickets/:id`, handler: tickets.remove },
  ];
}
