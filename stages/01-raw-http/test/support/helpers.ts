import type { RequestListener } from 'node:http';
import type { CreateTicketInput, Ticket } from '@backend-path/shared/domain/tickets';
import { captureLogs, type LogCapture } from '@backend-path/shared/testing/console-log-capture';
import { buildCreateTicketInput } from '@backend-path/shared/testing/factories';
import request from 'supertest';
import { expect } from 'vitest';
import { type AppDeps, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createInMemoryTicketStore } from '../../src/tickets/tickets.store.ts';

export const ALLOWED_ORIGIN = 'http://localhost:5173';
export const JSON_UTF8 = 'application/json; charset=utf-8';
/** The real limit from config.ts: tests prove the one the server uses. */
export const BODY_LIMIT_BYTES = loadConfig({}).bodyLimitBytes;

export interface TestDeps extends AppDeps {
  /** What the app logged, kept in memory (shared/src/testing/console-log-capture.ts). */
  logs: LogCapture;
}

/** Real in-memory store, silent capturing logger, a small report; override what a test is about. */
export function buildDeps(overrides: Partial<Omit<AppDeps, 'logger'>> = {}): TestDeps {
  const logs = captureLogs();
  return {
    store: createInMemoryTicketStore(),
    logger: logs.logger,
    logs,
    corsOrigins: [ALLOWED_ORIGIN],
    bodyLimitBytes: BODY_LIMIT_BYTES,
    reportSize: 20_000,
    reportWorkers: 2,
    reportQueueLength: 8,
    eventLoopDelay: { count: 0, percentile: () => 0, max: 0, reset: () => {} },
    ...overrides,
  };
}

export function buildApp(overrides: Partial<Omit<AppDeps, 'logger'>> = {}) {
  const deps = buildDeps(overrides);
  return { app: createApp(deps), deps };
}

/** A clock that moves one second per call, so "newest first" and updatedAt are testable. */
export function steppingClock(start = Date.parse('2026-01-01T09:00:00.000Z')): () => Date {
  let calls = 0;
  return () => new Date(start + calls++ * 1000);
}

/** Creates a ticket through the API, as a client would. */
export async function createTicket(
  app: RequestListener,
  input: Partial<CreateTicketInput> = {},
): Promise<Ticket> {
  const res = await request(app).post('/api/v1/tickets').send(buildCreateTicketInput(input));
  expect(res.status).toBe(201);
  return res.body.data as Ticket;
}
