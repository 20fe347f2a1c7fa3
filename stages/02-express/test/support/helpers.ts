import type { CreateTicketInput, Ticket } from '@backend-path/shared/domain/tickets';
import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { captureLogs, type LogCapture } from '@backend-path/shared/testing/console-log-capture';
import { buildCreateTicketInput } from '@backend-path/shared/testing/factories';
import type { Express } from 'express';
import supertest from 'supertest';
import { expect } from 'vitest';
import { type AppDeps, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import {
  createInMemoryTicketRepository,
  type TicketRepository,
} from '../../src/tickets/tickets.repository.ts';
import { createFixtureUserLookup } from '../../src/users/users.lookup.ts';

export const ALLOWED_ORIGIN = 'http://localhost:5173';
export const JSON_UTF8 = 'application/json; charset=utf-8';
/** The real limit from config.ts: tests prove the one the server uses. */
export const BODY_LIMIT_BYTES = loadConfig({}).bodyLimitBytes;
/** Who `request(app)` says it is. */
export const CALLER = FIXTURE_USERS.alice;

export interface TestDeps extends AppDeps {
  /** What the app logged, kept in memory (shared/src/testing/console-log-capture.ts). */
  logs: LogCapture;
}

type Overrides = Partial<Omit<AppDeps, 'logger' | 'config'>> & {
  config?: Partial<AppDeps['config']>;
};

/** Real in-memory repository, fixture users, silent capturing logger, a small report. */
export function buildDeps(overrides: Overrides = {}): TestDeps {
  const { config, ...rest } = overrides;
  const logs = captureLogs();
  return {
    tickets: createInMemoryTicketRepository(),
    users: createFixtureUserLookup(),
    logger: logs.logger,
    logs,
    config: {
      corsOrigins: [ALLOWED_ORIGIN],
      bodyLimitBytes: BODY_LIMIT_BYTES,
      reportSize: 20_000,
      reportWorkers: 2,
      reportQueueLength: 8,
      ...config,
    },
    eventLoopDelay: { count: 0, percentile: () => 0, max: 0, reset: () => {} },
    ...rest,
  };
}

export function buildApp(overrides: Overrides = {}) {
  const deps = buildDeps(overrides);
  return { app: createApp(deps), deps };
}

/**
 * supertest, as CALLER: every request it sends carries `X-User-Id`, as a signed-in client's
 * would. Tests about a missing, unknown or other caller use `supertest(app)` directly.
 */
export function request(app: Express) {
  return supertest.agent(app).set('X-User-Id', CALLER.id);
}

/** A clock that moves one second per call, so "newest first" and updatedAt are testable. */
export function steppingClock(start = Date.parse('2026-01-01T09:00:00.000Z')): () => Date {
  let calls = 0;
  return () => new Date(start + calls++ * 1000);
}

/** Creates a ticket through the API, as a client would. */
export async function createTicket(
  app: Express,
  input: Partial<CreateTicketInput> = {},
): Promise<Ticket> {
  const res = await request(app).post('/api/v1/tickets').send(buildCreateTicketInput(input));
  expect(res.status).toBe(201);
  return res.body.data as Ticket;
}

/** Every stored ticket, newest first: what the repository holds after a request. */
export async function allTickets(tickets: TicketRepository): Promise<Ticket[]> {
  return (await tickets.list({ page: 1, pageSize: 1000 })).items;
}

/** Sends `count` copies of a request at once; their statuses, sorted (e.g. [200, 409, 409, …]). */
export async function statusesOf(count: number, send: (i: number) => Promise<{ status: number }>) {
  const responses = await Promise.all(Array.from({ length: count }, (_, i) => send(i)));
  return responses.map((res) => res.status).sort();
}
