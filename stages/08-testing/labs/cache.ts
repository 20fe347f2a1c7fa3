import { randomUUID } from 'node:crypto';
import type { User } from '@backend-path/shared/domain/users';
import { countQueries } from '@backend-path/shared/testing/query-counter';
import { resolveRedis } from '@backend-path/shared/testing/redis-server';
import pg from 'pg';
import { versionKey } from '../src/cache/cache-keys.ts';
import { createQueryCache } from '../src/cache/query-cache.ts';
import { createRedisClient, redisReady } from '../src/db/redis.ts';
import { createPgStatsRepository } from '../src/stats/stats.repository.pg.ts';
import { visibleTo } from '../src/tickets/tickets.access.ts';
import { createPgTicketRepository } from '../src/tickets/tickets.repository.pg.ts';
import { deleteKeys, naiveCacheAside, percentile, startLabApi } from './lib/cache-lab.ts';
import { measureOutage } from './lib/cache-outage.ts';
import { openLabDatabase } from './lib/lab-database.ts';
import { printTable, round, writeResults } from './lib/report.ts';

// pnpm lab:cache — the account dashboard and two ticket list pages on the lab data (pnpm lab:seed):
// a MISS (PostgreSQL, then cached) against a HIT (Redis only), through the real API over HTTP,
// next to the same statements sent to PostgreSQL alone (what stage 06, with no cache, pays for
// the data); then 50 requests missing the same key at once, with and without stampede
// protection; then what a request costs while Redis is stopped or hung.
const ROUNDS = 40;
const BURST = 50;
const PAGE = '/tickets?status=open&pageSize=20';
const FIRST_PAGE = '/tickets'; // what pnpm bench's list route asks

const db = await openLabDatabase();
const found = await resolveRedis();
const redis = createRedisClient({
  url: found.url,
  connectTimeoutMs: 1_000,
  commandTimeoutMs: 1_000,
  onError: console.error,
});
const prefix = `bp:lab:cache:${process.pid}:`;
try {
  await redisReady(redis);
  const { rows: counted } = await db.pool.query('SELECT count(*)::int AS n FROM tickets');
  if (counted[0].n < 10_000)
    throw new Error(`Only ${counted[0].n} tickets: run \`pnpm lab:seed\` first.`);
  // The busiest account's admin: the dashboard reads every ticket of that account.
  const { rows } = await db.pool.query(
    `SELECT u.id, u.account_id, u.email, u.name, u.role, u.created_at,
            (SELECT count(*)::int FROM tickets t WHERE t.account_id = u.account_id) AS tickets
     FROM users u WHERE u.role IN ('admin', 'agent') ORDER BY tickets DESC, u.id LIMIT 1`,
  );
  const row = rows[0];
  const user: User = {
    id: row.id,
    accountId: row.account_id,
    email: row.email,
    name: row.name,
    role: row.role,
    createdAt: row.created_at.toISOString(),
  };
  console.log(
    `${db.version}: ${counted[0].n.toLocaleString('en-US')} tickets, the account: ${row.tickets.toLocaleString('en-US')}.\n`,
  );

  const api = await startLabApi(db.pool, redis, prefix, user);
  const bump = () => redis.set(versionKey(api.config.cache.prefix, user.accountId), randomUUID());
  // The data of each request, asked of PostgreSQL directly: the work a MISS adds to a HIT.
  const dashboard = createPgStatsRepository(db.pool);
  const tickets = createPgTicketRepository(db.pool);
  const visible = visibleTo(user);
  const sqlAlone = {
    '/stats': () => dashboard.ticketStats({ ...visible, accountId: user.accountId }),
    [FIRST_PAGE]: () => tickets.list({ ...visible, page: 1, pageSize: 20 }),
    [PAGE]: () => tickets.list({ ...visible, status: 'open', page: 1, pageSize: 20 }),
  };
  const table = [];
  for (const [name, path] of [
    ['dashboard /stats', '/stats'],
    [`list ${FIRST_PAGE}`, FIRST_PAGE],
    [`list ${PAGE}`, PAGE],
  ] as const) {
    const miss: number[] = [];
    const hit: number[] = [];
    const alone: number[] = [];
    const sent = { miss: 0, missReads: 0, hit: 0, hitReads: 0 };
    for (let i = 0; i < ROUNDS + 3; i++) {
      await bump(); // as a write would: the next read is a MISS
      const first = await api.get(path);
      const second = await api.get(path);
      if (first.cache !== 'MISS' || second.cache !== 'HIT')
        throw new Error(`expected MISS then HIT, got ${first.cache}, ${second.cache}`);
      const started = performance.now();
      await sqlAlone[path]();
      const sqlMs = performance.now() - started;
      if (i < 3) continue; // warm-up
      miss.push(first.ms);
      hit.push(second.ms);
      alone.push(sqlMs);
      Object.assign(sent, {
        miss: first.statements,
        missReads: first.ticketReads,
        hit: second.statements,
        hitReads: second.ticketReads,
      });
    }
    table.push({
      request: name,
      'MISS p50 ms': round(percentile(miss, 50)),
      'MISS p99 ms': round(percentile(miss, 99)),
      'HIT p50 ms': round(percentile(hit, 50)),
      'HIT p99 ms': round(percentile(hit, 99)),
      'p50 MISS/HIT ×': round(percentile(miss, 50) / percentile(hit, 50), 1),
      'SQL alone p50 ms': round(percentile(alone, 50)),
      'SQL on MISS (ticket reads)': `${sent.miss} (${sent.missReads})`,
      'SQL on HIT (ticket reads)': `${sent.hit} (${sent.hitReads})`,
    });
  }
  await api.close();
  printTable(table);

  // The stampede, at the cache itself: 50 reads of one cold key at the same moment.
  const stats = createPgStatsRepository(db.pool);
  const scope = { accountId: user.accountId };
  const load = () => stats.ticketStats(scope);
  const other = createRedisClient({
    url: found.url,
    connectTimeoutMs: 1_000,
    commandTimeoutMs: 1_000,
    onError: console.error,
  });
  await redisReady(other);
  const settings = {
    prefix: `${prefix}stampede:`,
    ttlSeconds: 60,
    lockMs: 5_000,
    lockWaitMs: 2_000,
  };
  const one = createQueryCache(redis, settings, console);
  const two = createQueryCache(other, settings, console);
  const ways = {
    'naive cache-aside (GET, miss → query → SET)': (i: number) =>
      naiveCacheAside(redis, `${prefix}naive:${Date.now()}`, load).then(() => i),
    'single-flight + lock, one instance': () => one.read(user.accountId, 'stampede-1', load),
    'single-flight + lock, two instances': (i: number) =>
      (i % 2 ? one : two).read(user.accountId, 'stampede-2', load),
  };
  const burst = [];
  for (const [way, read] of Object.entries(ways)) {
    const counter = countQueries(pg.Client);
    const started = performance.now();
    await Promise.all(Array.from({ length: BURST }, (_, i) => read(i)));
    burst.push({
      [`${BURST} concurrent misses`]: way,
      'dashboard queries sent': counter.count,
      'burst ms': round(performance.now() - started),
    });
    counter.stop();
  }
  await other.close();
  console.log('');
  printTable(burst);

  // What Redis failing costs a request: nothing but the cache, within the command deadline.
  const outage = await measureOutage(db.pool, user);
  console.log('');
  printTable(outage);
  console.log(
    `\nResults: ${writeResults('cache', { postgres: db.version, tickets: counted[0].n, accountTickets: row.tickets, rounds: ROUNDS, requests: table, stampede: burst, outage })}`,
  );
} finally {
  // Only this run's keys: the Redis may be your dev one.
  if (redis.isReady) await deleteKeys(redis, prefix);
  await redis.close();
  await db.close();
  await found.close();
}
