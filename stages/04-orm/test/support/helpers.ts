import type { CreateTicketInput, Ticket } from '@backend-path/shared/domain/tickets';
import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { captureLogs, type LogCapture } from '@backend-path/shared/testing/console-log-capture';
import { buildCreateTicketInput } from '@backend-path/shared/testing/factories';
import type { Express } from 'express';
import supertest from 'supertest';
import { expect, inject } from 'vitest';
import { type AppDeps, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { type DataLayerConnection, openDataLayer } from '../../src/db/data-layer.ts';
import type { PoolOptions } from '../../src/db/pool.ts';
import type { TicketRepository } from '../../src/tickets/tickets.repository.ts';
import { testDatabaseUrl } from './db-helpers.ts';

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

// Stage 02's HTTP tests now run against PostgreSQL: these lines (in-memory → pg) are what
// changed for them, which is the proof that the layers held. Only tests that looked inside the
// in-memory store (its clock, its activity log) had to change, to look at the tables instead.
// Stage 04 runs them once per DATA_LAYER (vitest.config.ts's projects provide `dataLayer`):
// the same HTTP tests pass on raw pg, Prisma and TypeORM, or swapping them would change the API.
let layer: DataLayerConnection | undefined;

/** setup.ts opens it before each file's tests: a PrismaClient or DataSource per test costs too much. */
export async function openTestDataLayer(): Promise<void> {
  layer = await openDataLayer(inject('dataLayer'), testDatabaseUrl());
}

export async function closeTestDataLayer(): Promise<void> {
  await layer?.close();
  layer = undefined;
}

function testDataLayer(): DataLayerConnection {
  if (!layer) throw new Error('buildDeps() runs inside a test: setup.ts opens the data layer');
  return layer;
}

/**
 * The repositories server.ts would open for this project's DATA_LAYER, on this run's test
 * database (emptied before each test, fixture users stored: setup.ts); a silent capturing
 * logger, a small report.
 */
export function buildDeps(overrides: Overrides = {}): TestDeps {
  const { config, ...rest } = overrides;
  const { tickets, comments, users } = testDataLayer();
  const logs = captureLogs();
  return {
    tickets,
    comments,
    users,
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

/** Creates a ticket through the API, as a client would. */
export async function createTicket(
  app: Express,
  input: Partial<CreateTicketInput> = {},
): Promise<Ticket> {
  const res = await request(app).post('/api/v1/tickets').send(buildCreateTicketInput(input));
  expect(res.status).toBe(201);
  return res.body.data as Ticket;
}

/** Every stored ticket, newest first: what the database holds after a request. */
export async function allTickets(tickets: TicketRepository): Promise<Ticket[]> {
  return (await tickets.list({ page: 1, pageSize: 1000 })).items;
}

/**
 * An app whose repositories (this project's DATA_LAYER) run on connections of their own, opened
 * with `options` (say a tiny lock_timeout) on `url` (the test database, or a proxy to it). The
 * caller closes it when done.
 */
export async function buildAppOnPool(options: PoolOptions, url = testDatabaseUrl()) {
  const own = await openDataLayer(inject('dataLayer'), url, options);
  const { app, deps } = buildApp({
    tickets: own.tickets,
    comments: own.comments,
    users: own.users,
  });
  return { app, deps, close: () => own.close() };
}

/** Sends `count` copies of a request at once; their statuses, sorted (e.g. [200, 409, 409, …]). */
export async function statusesOf(count: number, send: (i: number) => Promise<{ status: number }>) {
  const responses = await Promise.all(Array.from({ length: count }, (_, i) => send(i)));
  return responses.map((res) => res.status).sort();
}
