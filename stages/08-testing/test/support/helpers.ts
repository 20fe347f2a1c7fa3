import type { CreateTicketInput, Ticket } from '@backend-path/shared/domain/tickets';
import type { User } from '@backend-path/shared/domain/users';
import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { captureLogs, type LogCapture } from '@backend-path/shared/testing/console-log-capture';
import { buildCreateTicketInput } from '@backend-path/shared/testing/factories';
import type { Express } from 'express';
import supertest from 'supertest';
import { expect } from 'vitest';
import { type AppDeps, createApp } from '../../src/app.ts';
import { createPgCredentialsRepository } from '../../src/auth/credentials.repository.pg.ts';
import { createPasswordHasher } from '../../src/auth/passwords.ts';
import { createTokenService } from '../../src/auth/tokens.ts';
import { createPgCommentRepository } from '../../src/comments/comments.repository.pg.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { closePool, createPool, type PoolOptions } from '../../src/db/pool.ts';
import { createPgStatsRepository } from '../../src/stats/stats.repository.pg.ts';
import { createPgTicketRepository } from '../../src/tickets/tickets.repository.pg.ts';
import type { TicketRepository } from '../../src/tickets/tickets.repository.ts';
import { createPgUserRepository } from '../../src/users/users.repository.pg.ts';
import { testDatabaseUrl, testPool } from './db-helpers.ts';
import { testKeyPrefix, testRedis } from './redis-helpers.ts';

export const ALLOWED_ORIGIN = 'http://localhost:5173';
export const JSON_UTF8 = 'application/json; charset=utf-8';
/** The real limit from config.ts: tests prove the one the server uses. */
export const BODY_LIMIT_BYTES = loadConfig({}).bodyLimitBytes;
/** Who `request(app)` is: an admin, whom the role checks let through (test/auth/auth.roles.test.ts
 * holds the other roles to the matrix). */
export const CALLER = FIXTURE_USERS.carol;
/** Test-only: 32+ characters, as loadJwtSecret demands. */
export const TEST_JWT_SECRET = 'test-secret-of-at-least-thirty-two-characters';
export const TEST_TOKEN_SETTINGS = loadConfig({}).token;
/** bcrypt's minimum cost: a test hash takes ≈ 1 ms instead of ≈ 200. */
export const TEST_BCRYPT_COST = 4;
const testTokens = createTokenService(TEST_JWT_SECRET, TEST_TOKEN_SETTINGS);
const testPasswords = createPasswordHasher(TEST_BCRYPT_COST);

/**
 * The real cache and rate-limit settings, under the running test's key prefix, with limits no
 * ordinary test reaches: only the rate-limit tests pass small ones (rateLimitSettings()).
 */
export function testRedisConfig(limits: Partial<Config['rateLimit']> = {}) {
  const real = loadConfig({ REDIS_KEY_PREFIX: testKeyPrefix() });
  const roomy = {
    limit: 1_000_000,
    loginLimitPerIp: 1_000_000,
    loginLimitPerEmail: 1_000_000,
    newUserLimitPerIp: 1_000_000,
  };
  return {
    cache: real.cache,
    rateLimit: { ...real.rateLimit, ...roomy, ...limits },
    trustProxyHops: real.trustProxyHops,
  };
}

/** A valid access token for `user` (at token_version 0, as stored fixture users have). */
export function tokenFor(user: User, tokenVersion = 0): string {
  return testTokens.issue(user, tokenVersion).accessToken;
}

/** Credentials that find `user` whatever the id: a caller whose users row is gone (a race). */
export function credentialsFinding(user: User): AppDeps['credentials'] {
  const real = createPgCredentialsRepository(testPool());
  return { ...real, findById: async () => ({ user, passwordHash: null, tokenVersion: 0 }) };
}

/** The header a signed-in client sends as `user`. */
export function authAs(user: User): { Authorization: string } {
  return { Authorization: `Bearer ${tokenFor(user)}` };
}

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
/**
 * The pg repositories, as server.ts builds them, on this run's test database (emptied before
 * each test, fixture users stored: setup.ts); a silent capturing logger, a small report.
 */
export function buildDeps(overrides: Overrides = {}): TestDeps {
  const { config, ...rest } = overrides;
  const logs = captureLogs();
  return {
    tickets: createPgTicketRepository(testPool()),
    comments: createPgCommentRepository(testPool()),
    users: createPgUserRepository(testPool()),
    credentials: createPgCredentialsRepository(testPool()),
    stats: createPgStatsRepository(testPool()),
    redis: testRedis(),
    passwords: testPasswords,
    tokens: testTokens,
    logger: logs.logger,
    logs,
    config: {
      corsOrigins: [ALLOWED_ORIGIN],
      bodyLimitBytes: BODY_LIMIT_BYTES,
      reportSize: 20_000,
      reportWorkers: 2,
      reportQueueLength: 8,
      ...testRedisConfig(),
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
 * supertest, as CALLER: every request it sends carries CALLER's access token, as a signed-in
 * client's would. Tests about a missing, bad or other caller use `supertest(app)` directly.
 */
export function request(app: Express) {
  return supertest.agent(app).set(authAs(CALLER));
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
 * An app whose repositories run on a pool of their own, opened with `options` (say a tiny
 * lock_timeout) on `url` (the test database, or a proxy to it). The caller closes it when done.
 */
export function buildAppOnPool(options: PoolOptions, url = testDatabaseUrl()) {
  const pool = createPool(url, options);
  const { app, deps } = buildApp({
    tickets: createPgTicketRepository(pool),
    comments: createPgCommentRepository(pool),
    users: createPgUserRepository(pool),
    credentials: createPgCredentialsRepository(pool),
    stats: createPgStatsRepository(pool),
  });
  return { app, deps, close: () => closePool(pool) };
}

/** Sends `count` copies of a request at once; their statuses, sorted (e.g. [200, 409, 409, …]). */
export async function statusesOf(count: number, send: (i: number) => Promise<{ status: number }>) {
  const responses = await Promise.all(Array.from({ length: count }, (_, i) => send(i)));
  return responses.map((res) => res.status).sort();
}
