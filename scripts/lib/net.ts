import { createConnection, createServer } from 'node:net';

export interface Endpoint {
  host: string;
  port: number;
}

export function endpointOf(url: string, defaultPort: number): Endpoint {
  const parsed = new URL(url);
  // `localhost` may resolve to ::1 first while the server listens on 127.0.0.1 only.
  const host =
    parsed.hostname === 'localhost' ? '127.0.0.1' : parsed.hostname.replace(/^\[|\]$/g, '');
  return { host, port: parsed.port ? Number(parsed.port) : defaultPort };
}

/**
 * Opens a TCP connection, writes `hello`, and resolves with the first bytes answered
 * (or null on refusal, silence or timeout). Never hangs longer than timeoutMs.
 */
export function probe(endpoint: Endpoint, hello: Buffer, timeoutMs = 1000): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const socket = createConnection(endpoint);
    const done = (answer: Buffer | null) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.once('error', () => done(null));
    socket.once('connect', () => socket.write(hello));
    socket.once('data', (data) => done(data));
  });
}

/** Postgres answers an SSLRequest with one byte, `S` or `N`, before any authentication. */
export async function postgresAnswers(url: string, timeoutMs?: number): Promise<boolean> {
  const sslRequest = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
  const answer = await probe(endpointOf(url, 5432), sslRequest, timeoutMs);
  return answer !== null && (answer[0] === 0x53 || answer[0] === 0x4e);
}

/** `+PONG`, or an error such as `-NOAUTH`: either way a Redis server is listening. */
export async function redisAnswers(url: string, timeoutMs?: number): Promise<boolean> {
  const answer = await probe(endpointOf(url, 6379), Buffer.from('PING\r\n'), timeoutMs);
  return answer !== null && /^[+-]/.test(answer.toString('latin1'));
}

/** Listens the way a stage's `app.listen(port)` does (all interfaces) and lets go at once. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}
