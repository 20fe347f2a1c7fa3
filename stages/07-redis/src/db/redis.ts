import { createClient, type RedisClientType } from 'redis';

/** The one Redis client type the app passes around; only src/db imports the driver. */
export type RedisClient = RedisClientType;

export interface RedisClientOptions {
  url: string;
  /** How long one connection attempt may take before it counts as failed. */
  connectTimeoutMs: number;
  /** How long one command may wait for its answer (node-redis 6 waits 5 s by default). */
  commandTimeoutMs: number;
  /** Called for every connection error: node-redis retries on its own, we only log. */
  onError: (message: string) => void;
}

// LESSON: a cache must never be the reason a request is slow or fails. Redis being down is a
// normal state for this client, not an exception:
// - an 'error' listener, or node-redis re-throws connection errors and kills the process;
// - `disableOfflineQueue`: while disconnected, a command fails AT ONCE instead of waiting in a
//   queue for a reconnect that may take minutes (every request would hang with it);
// - a short command timeout: a Redis that accepts connections but does not answer (overloaded,
//   paused) costs each command at most this long, then the caller falls back;
// - a reconnect strategy that never gives up (capped backoff), so when Redis is back, the app
//   is too, without a restart.
export function createRedisClient(options: RedisClientOptions): RedisClient {
  const client: RedisClient = createClient({
    url: options.url,
    disableOfflineQueue: true,
    commandOptions: { timeout: options.commandTimeoutMs },
    socket: {
      connectTimeout: options.connectTimeoutMs,
      reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2_000),
    },
  });
  let lastMessage = '';
  client.on('error', (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    // One line per new failure, not one per reconnect attempt every 2 s.
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
  return client;
}

/** Resolves once the client can send commands, or rejects after `timeoutMs`. */
export async function redisReady(client: RedisClient, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!client.isReady) {
    if (Date.now() > deadline) throw new Error(`Redis not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** For shutdown: QUIT if connected, else just drop the socket and stop reconnecting. */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (client.isReady) {
    await client.close();
  } else if (client.isOpen) {
    client.destroy();
  }
}
