import { createClient } from 'redis';

/**
 * The Redis commands the app uses, each bounded in time. Only src/db knows the driver: the cache
 * and the rate limiter see this interface, and tests can build apps on any number of them.
 */
export interface RedisClient {
  /** True while connected: commands are sent; false while (re)connecting: they fail at once. */
  readonly isReady: boolean;
  get(key: string): Promise<string | null>;
  /** SET key value EX seconds. */
  setWithTtl(key: string, value: string, seconds: number): Promise<void>;
  /** SET key value NX PX ms: true if we set it (we hold the lock), false if it existed. */
  setIfAbsent(key: string, value: string, ms: number): Promise<boolean>;
  /** SET key value: no expiry, whatever was there before. */
  set(key: string, value: string): Promise<void>;
  /** SET key value NX GET (Redis ≥ 7): the value already there, else `value`, now stored. */
  getOrSet(key: string, value: string): Promise<string>;
  /** Deletes `key` only while it still holds `value` (a lock we own, not the next holder's). */
  deleteIfEquals(key: string, value: string): Promise<void>;
  /** A raw command, for libraries that speak Redis themselves (rate-limit-redis). */
  sendCommand(args: string[]): Promise<unknown>;
  close(): Promise<void>;
}

export interface RedisClientOptions {
  url: string;
  /** How long one connection attempt may take before it counts as failed. */
  connectTimeoutMs: number;
  /** How long one command may take, from sending to answer. */
  commandTimeoutMs: number;
  /** Called for each new connection error: node-redis retries on its own, we only log. */
  onError: (message: string) => void;
}

const DELETE_IF_EQUALS =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

// LESSON: a cache must never be the reason a request is slow or fails. Redis being down is a
// normal state for this client, not an exception:
// - an 'error' listener, or node-redis re-throws connection errors and kills the process;
// - `disableOfflineQueue`: while disconnected a command fails AT ONCE, instead of waiting in a
//   queue for a reconnect that may take minutes;
// - our own deadline on every command: node-redis 6's `timeout` only covers a command still
//   waiting to be SENT. One already sent to a Redis that hangs (overloaded, paused, a network
//   that drops packets) would wait for the socket to die. We stop waiting after commandTimeoutMs,
//   and then skip Redis for a second instead of paying that wait on every command;
// - a reconnect strategy that never gives up (capped backoff): when Redis is back, so are we.
export function createRedisClient(options: RedisClientOptions): RedisClient {
  const client = createClient({
    url: options.url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: options.connectTimeoutMs,
      reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2_000),
    },
  });
  let lastMessage = '';
  client.on('error', (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    // One line per new failure, not one per reconnect attempt.
    if (message !== lastMessage) options.onError(message);
    lastMessage = message;
  });
  client.on('ready', () => {
    lastMessage = '';
  });
  // Not awaited: the API starts (and serves from PostgreSQL) while Redis is still away.
  client.connect().catch((error: unknown) => {
    options.onError(`first connection failed: ${error instanceof Error ? error.message : error}`);
  });

  // After a command times out, Redis is skipped for a moment: during an outage, one request pays
  // the deadline now and then, not every command of every request.
  let skipUntil = 0;
  async function bounded<T>(send: () => Promise<T>): Promise<T> {
    if (Date.now() < skipUntil) throw new RedisSkippedError();
    try {
      return await withDeadline(send(), options.commandTimeoutMs);
    } catch (error: unknown) {
      if (error instanceof RedisTimeoutError) skipUntil = Date.now() + SKIP_AFTER_TIMEOUT_MS;
      throw error;
    }
  }
  return {
    get isReady() {
      return client.isReady;
    },
    get: (key) => bounded(() => client.get(key)),
    async setWithTtl(key, value, seconds) {
      await bounded(() => client.set(key, value, { expiration: { type: 'EX', value: seconds } }));
    },
    async setIfAbsent(key, value, ms) {
      const reply = await bounded(() =>
        client.set(key, value, { condition: 'NX', expiration: { type: 'PX', value: ms } }),
      );
      return reply !== null;
    },
    async set(key, value) {
      await bounded(() => client.set(key, value));
    },
    async getOrSet(key, value) {
      const before = await bounded(() => client.set(key, value, { condition: 'NX', GET: true }));
      return before === null ? value : String(before);
    },
    async deleteIfEquals(key, value) {
      await bounded(() => client.eval(DELETE_IF_EQUALS, { keys: [key], arguments: [value] }));
    },
    sendCommand: (args) => bounded(() => client.sendCommand(args)),
    async close() {
      // QUIT waits for Redis's answer: a hung Redis must not hang the shutdown.
      if (client.isReady) await withDeadline(client.close(), 1_000).catch(() => client.destroy());
      else if (client.isOpen) client.destroy();
    },
  };
}

/** How long Redis is skipped after a command timed out. */
export const SKIP_AFTER_TIMEOUT_MS = 1_000;

/** A command not even sent: one timed out less than SKIP_AFTER_TIMEOUT_MS ago. */
export class RedisSkippedError extends Error {
  constructor() {
    super('Redis skipped: a command timed out a moment ago');
    this.name = 'RedisSkippedError';
  }
}

export class RedisTimeoutError extends Error {
  constructor(ms: number) {
    super(`Redis did not answer within ${ms} ms`);
    this.name = 'RedisTimeoutError';
  }
}

// A deadline measures Redis, not this process. node-redis writes a command on a later tick, and a
// reply is read only when the event loop is free: had the clock started at the call, our own
// synchronous work (building the app at boot, a big JSON.stringify) holding the loop past it would
// make a Redis that answered in 0.1 ms "hung", and skipped for a second (seen: the compiled app
// in its container timed out every rate limiter's script load at boot). So the clock starts once
// the loop is free (setImmediate), and when it runs out, a reply already waiting is read first:
// the check phase (setImmediate) comes after the poll phase that reads sockets.
function withDeadline<T>(command: Promise<T>, ms: number): Promise<T> {
  let start: NodeJS.Immediate | undefined;
  let timer: NodeJS.Timeout | undefined;
  let giveUp: NodeJS.Immediate | undefined;
  const deadline = new Promise<never>((_, reject) => {
    start = setImmediate(() => {
      timer = setTimeout(() => {
        giveUp = setImmediate(() => reject(new RedisTimeoutError(ms)));
      }, ms);
    });
  });
  // The late answer (or error) of a command we gave up on is dropped, never unhandled.
  command.catch(() => {});
  return Promise.race([command, deadline]).finally(() => {
    clearImmediate(start);
    clearTimeout(timer);
    clearImmediate(giveUp);
  });
}

/** Resolves once the client can send commands, or rejects after `timeoutMs`. */
export async function redisReady(client: RedisClient, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!client.isReady) {
    if (Date.now() > deadline) throw new Error(`Redis not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
