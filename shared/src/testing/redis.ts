import { createClient, type RedisClientType } from 'redis';
import { DEFAULT_REDIS_URL } from './redis-server.ts';

export { DEFAULT_REDIS_URL };

export interface TestRedis {
  /** A plain client (no keyPrefix): code under test builds its keys from `prefix` itself. */
  client: RedisClientType;
  /** `bp:test:<stage>:` — every key a stage's tests write starts with it. */
  prefix: string;
  /** Deletes this stage's keys, and only those: other stages and the dev data share the server. */
  clear(): Promise<void>;
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 1_500;

/**
 * Connects to `url` (a stage's global setup passes resolveRedis()'s, from redis-server.ts), else
 * REDIS_URL, else localhost:6379, or fails within ~2 s saying how to start Redis.
 * Tests that need Redis must fail loudly without it, never hang and never skip silently.
 */
export async function connectTestRedis(options: {
  stage: string;
  url?: string;
  env?: NodeJS.ProcessEnv;
}): Promise<TestRedis> {
  const url = options.url || (options.env ?? process.env).REDIS_URL || DEFAULT_REDIS_URL;
  const prefix = `bp:test:${options.stage}:`;
  const client: RedisClientType = createClient({
    url,
    // node-redis retries forever by default: a missing server would hang the test run.
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: false },
  });
  // Without a listener, node-redis re-throws connection errors and kills the process.
  client.on('error', () => {});
  try {
    await withTimeout(client.connect(), CONNECT_TIMEOUT_MS + 500);
  } catch (error: unknown) {
    client.destroy();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Redis is not answering at ${url} (${reason}). The ${options.stage} tests need it. Start one:\n` +
        '  docker compose up -d redis                                  # with Docker\n' +
        '  redis-server --daemonize yes --save "" --appendonly no      # with a local install\n' +
        'or set REDIS_URL to a server you have.',
      { cause: error },
    );
  }
  return {
    client,
    prefix,
    async clear() {
      // SCAN walks the keyspace in pages without blocking the server the way KEYS does.
      const match = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
      for await (const keys of client.scanIterator({ MATCH: match, COUNT: 500 })) {
        if (keys.length > 0) await client.unlink(keys);
      }
    },
    async close() {
      if (client.isOpen) await client.close();
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
