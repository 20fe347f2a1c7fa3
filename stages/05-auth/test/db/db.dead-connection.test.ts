import { execFileSync } from 'node:child_process';
import { buildCreateTicketInput } from '@backend-path/shared/testing/factories';
import { startTcpProxy } from '@backend-path/shared/testing/tcp-proxy';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { closePool, createPool, QUERY_TIMEOUT_MARGIN_MS } from '../../src/db/pool.ts';
import { withTransaction } from '../../src/db/transaction.ts';
import { countRows, testDatabaseUrl } from '../support/db-helpers.ts';
import { buildAppOnPool, request } from '../support/helpers.ts';

// statement_timeout is PostgreSQL's clock: it cannot help when PostgreSQL's answer cannot reach
// us. These tests put a proxy between the app and the database and make it stop forwarding.
const STATEMENT_TIMEOUT_MS = 300;
const POOL = { max: 2, statementTimeoutMillis: STATEMENT_TIMEOUT_MS, onIdleError: () => {} };
// Generous for a busy machine, and still far below "until the kernel gives up" (minutes).
const BOUND_MS = STATEMENT_TIMEOUT_MS + 4_000;

const target = new URL(testDatabaseUrl());
const proxyReady = startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
afterAll(async () => (await proxyReady).close());

/** The test database's URL, through the proxy. */
async function throughProxy() {
  const proxy = await proxyReady;
  const url = new URL(testDatabaseUrl());
  url.port = String(proxy.port);
  return { proxy, url: url.toString() };
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await (await proxyReady).restore();
});

async function appThroughProxy() {
  const { proxy, url } = await throughProxy();
  const built = await buildAppOnPool(POOL, url);
  cleanups.push(built.close);
  await warmUp(built.app);
  return { app: built.app, proxy };
}

/**
 * A warm connection, proxied, before the test breaks anything. This pool's clocks are short on
 * purpose (a 300 ms statement, a 2 s connect), and on a busy machine the first connect or query
 * can outlast them: that is the setup failing, not the behaviour under test, so it tries again.
 */
async function warmUp(app: Parameters<typeof request>[0]) {
  await vi.waitFor(() => request(app).get('/api/v1/tickets').expect(200), { timeout: 8_000 });
}

async function timed<T>(send: () => PromiseLike<T>): Promise<{ res: T; ms: number }> {
  const started = performance.now();
  const res = await send();
  return { res, ms: performance.now() - started };
}

describe('A connection to PostgreSQL that stops answering', () => {
  it('When the network stalls mid-read, then the request answers 503 soon after statement_timeout, and the pool recovers once the network does', async () => {
    const { app, proxy } = await appThroughProxy();

    proxy.stall();
    // Without a client-side clock this request waits for the socket to die: supertest gives up
    // first, and the test fails on its timeout instead of an answer.
    const { res, ms } = await timed(() =>
      request(app)
        .get('/api/v1/tickets')
        .timeout(BOUND_MS + 5_000),
    );
    await proxy.restore();
    const after = await request(app).get('/api/v1/tickets');

    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.body).toEqual({
      error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) },
    });
    expect(ms).toBeLessThan(BOUND_MS);
    expect(after.status).toBe(200); // the stalled connections were dropped, not handed out again
  });

  it('When the network stalls during a write, then 503 within the bound and nothing is written', async () => {
    const { app, proxy } = await appThroughProxy();

    proxy.stall();
    const { res, ms } = await timed(() =>
      request(app)
        .post('/api/v1/tickets')
        .send(buildCreateTicketInput())
        .timeout(BOUND_MS + 5_000),
    );
    await proxy.restore();

    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(ms).toBeLessThan(BOUND_MS);
    expect(await countRows('tickets')).toBe(0);
  });

  it('When the network stalls inside a transaction, then it fails within one query timeout (no ROLLBACK waits as long again) and the connection is destroyed', async () => {
    const { proxy, url } = await throughProxy();
    const pool = createPool(url, POOL);
    cleanups.push(() => closePool(pool));

    const { res: failure, ms } = await timed(() =>
      withTransaction(pool, async (client) => {
        await client.query('SELECT 1');
        proxy.stall();
        return client.query('SELECT 2');
      }).catch((error: unknown) => error),
    );

    expect((failure as Error).message).toBe('Query read timeout');
    expect(ms).toBeLessThan(2 * (STATEMENT_TIMEOUT_MS + QUERY_TIMEOUT_MARGIN_MS));
    expect(pool.totalCount).toBe(0); // destroyed, never lent to the next request
  });

  it('When a connection sits in the pool, then the kernel probes it (TCP keepalive): a peer that vanished is found before a request borrows it', async (context) => {
    if (!hasSs()) context.skip(); // `ss` (iproute2) reads the kernel's socket table, on Linux
    const { proxy } = await appThroughProxy();

    const lines = execFileSync('ss', [
      '-tnoH',
      'state',
      'established',
      `( dport = :${proxy.port} )`,
    ])
      .toString()
      .trim()
      .split('\n');

    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/timer:\(keepalive,/);
  });
});

function hasSs(): boolean {
  try {
    execFileSync('ss', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
